// The budget ballot's running total: as projects are ticked, what is chosen, what is
// left and, before anything is sent, by how much the budget is exceeded. Only an aid:
// the server checks the ballot again, and without this script the form works as before.
document.addEventListener("DOMContentLoaded", () => {
  // A refused ballot comes back with its reason above the list: bring it into view (and to
  // screen readers) rather than leave it a long scroll up on a phone.
  const refusal = document.getElementById("ballot-error");
  if (refusal) refusal.focus();
  const summary = document.getElementById("ballot-total");
  if (!summary) return;
  const form = summary.closest("form");
  const boxes = [...form.querySelectorAll('input[type="checkbox"][name="project"]')];
  const budget = Number(summary.dataset.budget);
  const format = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 0 });
  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (_match, name) => format.format(values[name]));
  const text = summary.querySelector(".ballot-total-text");
  const over = summary.querySelector(".ballot-total-over");
  const bar = summary.querySelector("progress");
  const update = () => {
    const chosen = boxes.filter((box) => box.checked).reduce((sum, box) => sum + Number(box.dataset.amount), 0);
    text.textContent = fill(summary.dataset.textChosen, { chosen, budget, left: Math.max(budget - chosen, 0) });
    bar.value = Math.min(chosen, budget);
    const exceeded = chosen > budget;
    over.hidden = !exceeded;
    over.textContent = exceeded ? fill(summary.dataset.textOver, { over: chosen - budget }) : "";
    summary.classList.toggle("is-over", exceeded);
  };
  boxes.forEach((box) => box.addEventListener("change", update));
  summary.hidden = false;
  update();
});
