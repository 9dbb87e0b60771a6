/* Floor plan, progressive enhancement only: without this file a stand on the plan links to
   its row in the list below (which holds the forms). With it, choosing a stand marks it on
   the plan and in the list, and moves the keyboard focus to the row's first action. */
(function () {
  "use strict";

  function rowFor(id) { return document.getElementById("stand-" + id); }
  function shapeFor(id) { return document.getElementById("plan-stand-" + id); }

  function mark(id) {
    document.querySelectorAll("[data-floorplan] .is-selected").forEach(function (el) {
      el.classList.remove("is-selected");
    });
    [rowFor(id), shapeFor(id)].forEach(function (el) { if (el) el.classList.add("is-selected"); });
  }

  function choose(id) {
    var row = rowFor(id);
    if (!row) return;
    mark(id);
    var action = row.querySelector("button, a[href], input:not([type=hidden]), select, textarea");
    row.scrollIntoView({ block: "nearest" });
    (action || row).focus({ preventScroll: true });
    if (window.history && history.replaceState) history.replaceState(null, "", "#stand-" + id);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-floorplan] a.stand");
    if (!link) return;
    event.preventDefault();
    choose(link.getAttribute("data-stand"));
  });

  // Focus in the list shows where the stand is on the plan: the plan scrolls sideways
  // inside its own box if needed (never the page, which would lose the focused row).
  function reveal(shape) {
    var box = shape && shape.closest(".plan-scroll");
    if (!box) return;
    var s = shape.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (s.left < b.left || s.right > b.right) {
      box.scrollLeft += s.left - b.left - (b.width - s.width) / 2;
    }
  }

  document.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest("[data-stand-row]");
    if (!row) return;
    var id = row.getAttribute("data-stand-row");
    mark(id);
    reveal(shapeFor(id));
  });

  var start = /^#stand-(\d+)$/.exec(window.location.hash);
  if (start) mark(start[1]);
})();
