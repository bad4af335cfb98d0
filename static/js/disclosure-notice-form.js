// The notice form shows the declared finance totals only for financial catalogue items.
(function () {
  const data = document.getElementById("finance-items");
  const select = document.getElementById("id_catalog_item");
  if (!data || !select) return;
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
