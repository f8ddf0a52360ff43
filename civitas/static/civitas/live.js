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
// - An answer may carry data-live-reload (a vote's closing that has ended: the whole page
//   changes, from its state to its results): the page is loaded again, unless one of its
//   forms holds something typed and not yet sent, which a reload would lose; the answer
//   then keeps its link to the new page.
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

  const changedSinceLoaded = (field) => {
    if (field.type === "hidden" || field.type === "submit" || field.disabled) return false;
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field instanceof HTMLSelectElement) {
      // With no option marked selected, a single choice starts on the first one.
      const options = Array.from(field.options);
      const marked = options.some((option) => option.defaultSelected);
      return options.some((option, i) => option.selected !== (marked ? option.defaultSelected : !field.multiple && i === 0));
    }
    if (field.type === "file") return field.files.length > 0;
    return field.value !== field.defaultValue;
  };
  // A poll's answer is out-of-band swaps only: its own target leaves the page, and so
  // afterSettle never reaches the document. The swapped part itself does.
  document.addEventListener("htmx:oobAfterSwap", () => {
    const marker = document.querySelector("[data-live-reload]");
    if (!marker) return;
    marker.removeAttribute("data-live-reload");
    const unsent = Array.from(document.querySelectorAll("form input, form textarea, form select")).some(changedSinceLoaded);
    if (!unsent) window.location.reload();
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
