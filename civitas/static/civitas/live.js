// What happens around htmx's swaps, for keyboards and screen readers. Loaded with htmx
// only on pages that update in place (core/templatetags/live.py); without either script
// every form and link leads to the page that says the same.
//
// - An answer may mark an element data-live-focus (a reply just posted, the first of the
//   replies just loaded, a form come back with its errors): focus goes there (to the
//   field to correct, for a form) once it is in the page, so that a screen reader reads
//   it and the keyboard goes on from it.
// - A form marked data-live-reset (a reply form) is emptied once its answer is in, and
//   its <details> folded.
// - Answers say what happened in the #live-status region (role="status") through htmx's
//   out-of-band swaps; a request that failed says so there too.
(() => {
  const status = () => document.getElementById("live-status");

  document.addEventListener("htmx:afterSettle", () => {
    const target = document.querySelector("[data-live-focus]");
    if (!target) return;
    target.removeAttribute("data-live-focus");
    // A form that came back with its errors: to the field to correct.
    const field = target instanceof HTMLFormElement
      ? target.querySelector('[aria-invalid="true"], textarea, input:not([type="hidden"])')
      : null;
    if (field) return field.focus();
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (!event.detail.successful || !(form instanceof HTMLFormElement)) return;
    if (!form.hasAttribute("data-live-reset") || !form.isConnected) return;
    form.reset();
    const disclosure = form.closest("details");
    if (disclosure) disclosure.open = false;
  });

  const failed = () => {
    const region = status();
    if (region) region.textContent = region.dataset.failed;
  };
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
