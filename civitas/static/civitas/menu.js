// The header's menu on narrow screens, folded behind a "Menu" button. Loaded in <head>
// without defer so that the menu is folded before the page first paints; without this
// script the menu simply stays open and every link remains reachable.
document.documentElement.classList.add("js-menu");
document.addEventListener("DOMContentLoaded", () => {
  // The back-office's own menu, long on a phone: folded there, so the page comes first.
  const fold = document.querySelector(".sidebar-fold");
  if (fold && window.matchMedia("(max-width: 47.99rem)").matches) fold.open = false;
  const button = document.querySelector(".menu-toggle");
  const menu = document.getElementById("site-menu");
  if (!button || !menu) return;
  button.hidden = false;
  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  };
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
});
