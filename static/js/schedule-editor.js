/* Schedule editor, progressive enhancement only: without this file every session is a link
   to its form and the "Add a session" form adds one. With it:
   - drag down an empty column: the add form opens in a dialog with place and times filled;
   - drag a session: it moves (another time, another location);
   - drag a session's lower edge: it gets longer or shorter.
   A move is sent to the server, which checks it: clashes ask "keep it anyway?", an
   impossible move or a change someone else made meanwhile is explained, never saved. */
(function () {
  "use strict";

  var grid = document.querySelector("[data-schedule]");
  if (!grid) return;
  var first = parseInt(grid.getAttribute("data-first"), 10);
  var step = parseInt(grid.getAttribute("data-step"), 10);
  var rows = parseInt(grid.getAttribute("data-rows"), 10);
  var day = grid.getAttribute("data-day");
  var csrf = grid.getAttribute("data-csrf");
  var moveUrl = grid.getAttribute("data-move-url");
  var columns = Array.prototype.slice.call(grid.querySelectorAll(".sched-col"));
  var THRESHOLD = 4;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(minutes) {
    minutes = Math.max(0, Math.min(24 * 60, minutes));
    if (minutes === 24 * 60) return "00:00";
    return pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60);
  }
  function minutesOf(text) {
    var parts = text.split(":");
    return parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10);
  }
  function rowHeight() { return columns[0].getBoundingClientRect().height / rows; }

  /* The row (0-based, clamped) under a page y coordinate. */
  function rowAt(clientY) {
    var top = columns[0].getBoundingClientRect().top;
    var row = Math.floor((clientY - top) / rowHeight());
    return Math.max(0, Math.min(rows - 1, row));
  }
  /* The row boundary (0..rows) nearest a page y coordinate: where a drag stopped. */
  function boundaryAt(clientY) {
    var top = columns[0].getBoundingClientRect().top;
    var boundary = Math.round((clientY - top) / rowHeight());
    return Math.max(0, Math.min(rows, boundary));
  }
  /* The rows [from, to) a drag from startRow to the pointer covers: it ends where the
     pointer stopped (the nearest boundary), not one row further; at least one row. */
  function span(startRow, clientY) {
    var boundary = boundaryAt(clientY);
    if (boundary > startRow) return [startRow, boundary];
    return [Math.min(startRow, boundary), startRow + 1];
  }
  function columnAt(clientX) {
    for (var i = 0; i < columns.length; i++) {
      var box = columns[i].getBoundingClientRect();
      if (clientX >= box.left && clientX < box.right) return i;
    }
    return clientX < columns[0].getBoundingClientRect().left ? 0 : columns.length - 1;
  }

  var ghost = document.createElement("div");
  ghost.className = "sched-ghost";
  ghost.setAttribute("aria-hidden", "true");

  function showGhost(column, fromRow, toRow) {
    ghost.style.gridColumn = String(column + 2);
    ghost.style.gridRow = (fromRow + 2) + " / " + (toRow + 2);
    ghost.textContent = clock(first + fromRow * step) + "–" + clock(first + toRow * step);
    if (!ghost.parentNode) grid.appendChild(ghost);
  }
  function hideGhost() { if (ghost.parentNode) ghost.parentNode.removeChild(ghost); }

  /* --- Create: drag on an empty column --------------------------------------------- */

  var sessionDialog = document.getElementById("session-dialog");
  var newSection = document.querySelector("[data-new-session]");
  var home = newSection ? newSection.parentNode : null;
  var homeNext = newSection ? newSection.nextSibling : null;

  function openCreate(column, fromRow, toRow) {
    var form = newSection.querySelector("form");
    var set = function (name, value) {
      var input = form.elements[name];
      if (input) input.value = value;
    };
    set("location", columns[column].getAttribute("data-location"));
    set("day", day);
    set("start", clock(first + fromRow * step));
    set("end", clock(first + toRow * step));
    set("kind", columns[column].getAttribute("data-kind") || form.elements.kind.value);
    if (sessionDialog && sessionDialog.showModal) {
      sessionDialog.appendChild(newSection);
      var cancel = newSection.querySelector("[data-close-dialog]");
      if (cancel) cancel.hidden = false;
      sessionDialog.showModal();
    } else {
      newSection.scrollIntoView();
    }
    form.elements.title.focus();
  }

  if (sessionDialog) {
    sessionDialog.addEventListener("close", function () {
      var cancel = newSection.querySelector("[data-close-dialog]");
      if (cancel) cancel.hidden = true;
      home.insertBefore(newSection, homeNext);
    });
    sessionDialog.addEventListener("click", function (event) {
      if (event.target.closest("[data-close-dialog]")) sessionDialog.close();
    });
  }

  columns.forEach(function (column, index) {
    column.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      event.preventDefault();
      column.setPointerCapture(event.pointerId);
      var startRow = rowAt(event.clientY);
      var startY = event.clientY;
      var endRow = startRow + 1;
      showGhost(index, startRow, endRow);
      function move(e) {
        var covered = span(startRow, e.clientY);
        var from = covered[0], to = covered[1];
        endRow = to;
        showGhost(index, from, to);
        ghost.dataset.from = from;
      }
      function up(e) {
        column.removeEventListener("pointermove", move);
        column.removeEventListener("pointerup", up);
        column.removeEventListener("pointercancel", cancel);
        var covered = span(startRow, e.clientY);
        var from = covered[0], to = covered[1];
        if (Math.abs(e.clientY - startY) < THRESHOLD) to = Math.min(rows, from + 2); // a click: half an hour
        hideGhost();
        openCreate(index, from, to);
      }
      function cancel() {
        column.removeEventListener("pointermove", move);
        column.removeEventListener("pointerup", up);
        column.removeEventListener("pointercancel", cancel);
        hideGhost();
      }
      column.addEventListener("pointermove", move);
      column.addEventListener("pointerup", up);
      column.addEventListener("pointercancel", cancel);
    });
  });

  /* --- Move and resize: drag a session or its lower edge ------------------------------ */

  var moveDialog = document.getElementById("move-dialog");
  var pending = null;

  function send(change, keep) {
    var body = new FormData();
    body.append("csrf_token", csrf);
    body.append("version", change.version);
    body.append("day", day);
    body.append("start", change.start);
    body.append("end", change.end);
    body.append("location", change.location);
    if (keep) body.append("keep", "y");
    return fetch(moveUrl.replace(/\/0\/move$/, "/" + change.id + "/move"), {
      method: "POST",
      body: body,
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return { status: "invalid", messages: [] }; });
    });
  }

  function settle(change, answer) {
    if (answer.status === "saved") {
      window.location.hash = "session-" + change.id;
      window.location.reload();
      return;
    }
    pending = change;
    var list = moveDialog.querySelector("[data-messages]");
    list.innerHTML = "";
    (answer.messages || []).forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = "⚠ " + text;
      list.appendChild(item);
    });
    moveDialog.querySelector("[data-keep]").hidden = answer.status !== "confirm";
    moveDialog.querySelector("[data-undo]").hidden = answer.status === "changed";
    moveDialog.querySelector("[data-reload]").hidden = answer.status !== "changed";
    moveDialog.showModal();
  }

  function restore() {
    if (!pending) return;
    var item = document.getElementById("session-" + pending.id);
    if (item) {
      item.style.gridRow = pending.originalRow;
      item.style.gridColumn = pending.originalColumn;
      item.classList.remove("is-dragging");
    }
    pending = null;
  }

  if (moveDialog) {
    moveDialog.querySelector("[data-keep]").addEventListener("click", function () {
      var change = pending;
      moveDialog.close();
      send(change, true).then(function (answer) { settle(change, answer); });
    });
    moveDialog.querySelector("[data-undo]").addEventListener("click", function () {
      moveDialog.close();
      restore();
    });
    moveDialog.querySelector("[data-reload]").addEventListener("click", function () {
      window.location.reload();
    });
    moveDialog.addEventListener("cancel", restore);
  }

  grid.querySelectorAll(".sched-item").forEach(function (item) {
    item.addEventListener("dragstart", function (event) { event.preventDefault(); });
    item.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      var resizing = event.target.classList.contains("sched-resize");
      var startX = event.clientX, startY = event.clientY;
      var startMin = minutesOf(item.getAttribute("data-start"));
      var endMin = minutesOf(item.getAttribute("data-end"));
      if (endMin <= startMin) endMin = 24 * 60;
      var length = endMin - startMin;
      var fromRow = Math.round((startMin - first) / step);
      var column = columns.findIndex(function (c) {
        return c.getAttribute("data-location") === item.getAttribute("data-location");
      });
      var grabRow = rowAt(startY) - fromRow;
      var dragging = false;
      var target = null;
      item.setPointerCapture(event.pointerId);

      function move(e) {
        if (!dragging) {
          if (Math.abs(e.clientX - startX) < THRESHOLD && Math.abs(e.clientY - startY) < THRESHOLD) return;
          dragging = true;
          item.classList.add("is-dragging");
        }
        e.preventDefault();
        if (resizing) {
          var endRow = Math.max(fromRow + 1, rowAt(e.clientY) + 1);
          target = { column: column, from: fromRow, to: endRow };
        } else {
          var span = Math.max(1, Math.round(length / step));
          var from = Math.max(0, Math.min(rows - span, rowAt(e.clientY) - grabRow));
          target = { column: columnAt(e.clientX), from: from, to: from + span };
        }
        showGhost(target.column, target.from, target.to);
      }
      function finish(e) {
        item.removeEventListener("pointermove", move);
        item.removeEventListener("pointerup", finish);
        item.removeEventListener("pointercancel", abandon);
        hideGhost();
        if (!dragging || !target) return; // a click: the link opens the form
        e.preventDefault();
        var suppress = function (c) { c.preventDefault(); item.removeEventListener("click", suppress, true); };
        item.addEventListener("click", suppress, true);
        var change = {
          id: item.getAttribute("data-id"),
          version: item.getAttribute("data-version"),
          location: columns[target.column].getAttribute("data-location"),
          start: clock(first + target.from * step),
          end: resizing ? clock(first + target.to * step) : clock(first + target.from * step + length),
          originalRow: item.style.gridRow,
          originalColumn: item.style.gridColumn
        };
        item.style.gridRow = (target.from + 2) + " / " + (target.to + 2);
        item.style.gridColumn = String(target.column + 2);
        send(change, false).then(function (answer) { settle(change, answer); });
      }
      function abandon() {
        item.removeEventListener("pointermove", move);
        item.removeEventListener("pointerup", finish);
        item.removeEventListener("pointercancel", abandon);
        item.classList.remove("is-dragging");
        hideGhost();
      }
      item.addEventListener("pointermove", move);
      item.addEventListener("pointerup", finish);
      item.addEventListener("pointercancel", abandon);
    });
  });
})();
