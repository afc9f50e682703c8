// policy-redline serve: everything works without this file; it only adds a "working"
// indicator, drag and drop onto the file boxes, and sorting and filtering of the survey table.
// It never puts text from a document into the page as HTML (only textContent).
(function () {
  "use strict";

  function working(form, submitter) {
    if (submitter && submitter.hasAttribute("data-no-working")) return;
    if (submitter && submitter.name === "download") return; // a file comes back, the page stays
    var box = form.querySelector(".working");
    if (!box) return;
    box.hidden = false;
    var status = box.querySelector("[role=status]");
    if (status) status.textContent = form.getAttribute("data-working") || "Working…";
  }

  document.addEventListener("submit", function (ev) {
    working(ev.target, ev.submitter);
  });

  // Drag and drop: the dashed box takes the files and hands them to its file input.
  Array.prototype.forEach.call(document.querySelectorAll(".drop"), function (drop) {
    var input = drop.querySelector("input[type=file]");
    if (!input) return;
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (ev) { ev.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (ev) {
      ev.preventDefault();
      if (ev.dataTransfer && ev.dataTransfer.files.length) {
        input.files = input.multiple ? ev.dataTransfer.files : (function () {
          var dt = new DataTransfer(); dt.items.add(ev.dataTransfer.files[0]); return dt.files;
        })();
      }
    });
  });

  // The survey table: each header becomes a sort button; the filter box keeps matching rows.
  function cellValue(row, i, numeric) {
    var cell = row.cells[i];
    var raw = cell.getAttribute("data-value");
    var text = raw !== null ? raw : cell.textContent.trim();
    if (!numeric) return text.toLowerCase();
    var n = parseFloat(text);
    return isNaN(n) ? -Infinity : n;
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead.rows[0].cells;
    var body = table.tBodies[0];
    Array.prototype.forEach.call(heads, function (th, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      var arrow = document.createElement("span");
      arrow.setAttribute("aria-hidden", "true"); // aria-sort tells a screen reader; the arrow is for the eye
      arrow.className = "arrow";
      button.appendChild(arrow);
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) {
          h.removeAttribute("aria-sort");
          var a = h.querySelector(".arrow");
          if (a) a.textContent = "";
        });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        arrow.textContent = asc ? " \u25B2" : " \u25BC";
        var numeric = th.getAttribute("data-type") === "number";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, i, numeric), y = cellValue(b, i, numeric);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    if (!table) return;
    input.closest(".filter").hidden = false;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) < 0;
      });
    });
  });
})();
