/* Gate check-in: send scans without reloading the page, read QR codes with the camera
   (vendored jsQR, no CDN), refresh the live counts. Without JavaScript the form posts
   normally and the page shows the same verdict. */
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var result = document.getElementById("result");
  var counts = document.getElementById("counts");
  var code = form.querySelector("[name=code]");
  var busy = false;

  function check() {
    if (busy || !code.value.trim()) { return; }
    busy = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.json();
    }).then(function (data) {
      result.innerHTML = data.result_html;
      counts.innerHTML = data.counts_html;
      code.value = "";
      if (data.admitted === false && navigator.vibrate) { navigator.vibrate([200, 100, 200]); }
      if (!scanning) { code.focus(); }
      busy = false;
    }).catch(function () {
      form.submit();  // let the server answer with the whole page (and any error)
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    check();
  });

  // Live counts, while the page is open.
  var countsUrl = form.getAttribute("data-counts-url");
  window.setInterval(function () {
    if (document.hidden) { return; }
    fetch(countsUrl, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html) { counts.innerHTML = html; }
    }).catch(function () {});
  }, 10000);

  // Camera scanning.
  var toggle = document.getElementById("camera-toggle");
  var box = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  var scanning = false;
  var stream = null;
  var last = "";
  var lastSeen = 0;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });

  if (!toggle || !window.jsQR || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  toggle.hidden = false;

  function stop() {
    scanning = false;
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    box.hidden = true;
    status.textContent = "";
    toggle.textContent = toggle.getAttribute("data-start");
    toggle.setAttribute("aria-pressed", "false");
  }

  function frame() {
    if (!scanning) { return; }
    if (video.readyState >= 2 && video.videoWidth) {
      var scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      if (found && found.data) {
        // A badge held in view is checked once; shown again after a pause, once more.
        if (found.data !== last || now - lastSeen > 2500) {
          last = found.data;
          code.value = found.data;
          check();
        }
        lastSeen = now;
      }
    }
    window.setTimeout(function () { window.requestAnimationFrame(frame); }, 120);
  }

  toggle.addEventListener("click", function () {
    if (scanning) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        scanning = true;
        video.srcObject = media;
        box.hidden = false;
        status.textContent = toggle.getAttribute("data-scanning");
        toggle.textContent = toggle.getAttribute("data-stop");
        toggle.setAttribute("aria-pressed", "true");
        return video.play();
      })
      .then(frame)
      .catch(function () {
        stop();
        status.textContent = toggle.getAttribute("data-unavailable");
      });
  });
})();
