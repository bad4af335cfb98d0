// Phones: a list table that does not fit becomes a stack of cards (portal.css, below 576px). Each cell
// gets its column's heading as a label here, so every table of the portal stacks without markup of
// its own; a table that must stay a grid says class="table-keep".
(function () {
  document.querySelectorAll("main table.table:not(.table-keep)").forEach(function (table) {
    const headings = table.tHead && table.tHead.rows.length === 1 ? Array.from(table.tHead.rows[0].cells) : null;
    if (!headings || headings.some((th) => th.colSpan > 1)) return;
    const labels = headings.map((th) => th.textContent.trim());
    Array.from(table.tBodies).forEach(function (body) {
      Array.from(body.rows).forEach(function (row) {
        if (row.cells.length !== labels.length) return;
        Array.from(row.cells).forEach(function (cell, index) {
          if (labels[index] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", labels[index]);
        });
      });
    });
    table.classList.add("table-stack");
  });
})();
