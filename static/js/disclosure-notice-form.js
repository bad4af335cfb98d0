// The notice form: the catalogue list offers only the items of the chosen board's level, and the
// declared finance totals show only for financial catalogue items.
(function () {
  const select = document.getElementById("id_catalog_item");
  if (!select) return;
  const levelsData = document.getElementById("catalogue-levels");
  const board = document.getElementById("id_board");
  if (levelsData && board) {
    const levels = JSON.parse(levelsData.textContent);
    const narrow = function () {
      const level = levels.boards[board.value];
      Array.from(select.options).forEach(function (option) {
        const own = !option.value || !level || levels.items[option.value] === level;
        option.hidden = !own;
        option.disabled = !own;
        if (!own && option.selected) select.value = "";
      });
    };
    board.addEventListener("change", narrow);
    narrow();
  }
  const data = document.getElementById("finance-items");
  if (!data) return;
  const financeItems = new Set(JSON.parse(data.textContent).map(String));
  const fields = ["opening_balance", "income_total", "expense_total", "closing_balance"]
    .map((name) => document.getElementById("div_id_" + name))
    .filter(Boolean);
  function toggle() {
    const show = financeItems.has(select.value);
    fields.forEach((div) => { div.hidden = !show; });
  }
  select.addEventListener("change", toggle);
  toggle();
})();
