// The rich-text editor: turns each <textarea data-richtext> into a Trix editor.
//
// Without JavaScript (or before this runs) the textarea is the field: it posts HTML or plain
// text, which the server sanitizes like everything else. Here the textarea gives way to a
// hidden input of the same name, which Trix keeps up to date, and a <trix-editor> that takes
// over the textarea's id, so the field's <label for> names it and focuses it.
//
// Trix is configured before any editor exists: French (or the page's language) toolbar labels
// from our catalogue (data-lang), headings as <h2>, strikethrough as <s>, paragraphs as <p>
// — what the server's sanitizer keeps, so that what one edits is what the page shows. The
// toolbar is a real toolbar for the keyboard: one tab stop, arrows move between buttons,
// Enter or Space presses one. Pictures are offered only where the field has an upload address
// (the back-office); they are sent with the form's CSRF token.
(() => {
  if (window.civitasEditor) return;
  window.civitasEditor = true;

  const loader = document.currentScript;
  const lang = JSON.parse(loader.dataset.lang || "{}");
  const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
  const MAX_BYTES = Number(loader.dataset.maxBytes || "0");

  const addStylesheet = (href) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  };

  const configure = () => {
    const config = window.Trix.config;
    Object.assign(config.lang, lang);
    config.blockAttributes.default.tagName = "p";
    config.blockAttributes.heading1.tagName = "h2";
    config.textAttributes.strike.tagName = "s";
    // A caption is what the admin writes, never the file's name and size.
    config.attachments.preview.caption = { name: false, size: false };
    config.attachments.file.caption = { size: false };
  };

  const say = (region, message) => {
    region.textContent = "";
    window.setTimeout(() => { region.textContent = message; }, 50);
  };

  const csrfToken = (element) => {
    const form = element.closest("form");
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };

  const upload = (attachment, editor, uploadUrl, region) => {
    const body = new FormData();
    body.append("image", attachment.file);
    const request = new XMLHttpRequest();
    request.open("POST", uploadUrl, true);
    request.setRequestHeader("X-CSRFToken", csrfToken(editor));
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) attachment.setUploadProgress((event.loaded / event.total) * 100);
    });
    request.addEventListener("load", () => {
      let answer = {};
      try { answer = JSON.parse(request.responseText); } catch (error) { answer = {}; }
      if (request.status === 200 && answer.url) {
        attachment.setAttributes({ url: answer.url, width: answer.width, height: answer.height });
        say(region, lang.civitasUploaded || "");
      } else {
        attachment.remove();
        say(region, answer.error || lang.civitasUploadFailed || "");
      }
    });
    request.addEventListener("error", () => {
      attachment.remove();
      say(region, lang.civitasUploadFailed || "");
    });
    request.send(body);
  };

  // One tab stop for the toolbar; arrows, Home and End move along it (WAI-ARIA toolbar).
  const makeToolbarKeyboardFriendly = (toolbar, editor) => {
    const row = toolbar.querySelector(".trix-button-row");
    row.setAttribute("role", "toolbar");
    row.setAttribute("aria-label", lang.civitasToolbar || "");
    row.setAttribute("aria-controls", editor.id);
    // Trix disables the buttons that cannot apply (undo with nothing to undo…): skipped.
    const buttons = () =>
      Array.from(row.querySelectorAll("button.trix-button")).filter((b) => !b.disabled && b.offsetParent !== null);
    const current = (button) => {
      for (const other of row.querySelectorAll("button.trix-button")) other.tabIndex = other === button ? 0 : -1;
    };
    // The toolbar's one tab stop stays on a button that can be pressed.
    const tabStop = () => {
      const list = buttons();
      const stop = list.find((b) => b.tabIndex === 0) || list[0];
      if (stop) current(stop);
      return stop;
    };
    tabStop();
    row.addEventListener("keydown", (event) => {
      const button = event.target.closest("button.trix-button");
      if (!button) return;
      const list = buttons();
      const index = list.indexOf(button);
      let next = null;
      if (event.key === "ArrowRight") next = list[(index + 1) % list.length];
      else if (event.key === "ArrowLeft") next = list[(index - 1 + list.length) % list.length];
      else if (event.key === "Home") next = list[0];
      else if (event.key === "End") next = list[list.length - 1];
      else if (event.key === "Escape") { event.preventDefault(); editor.focus(); return; }
      else if (event.key === "Enter" || event.key === " ") {
        // Trix acts on mousedown; a keyboard press gets the same.
        event.preventDefault();
        button.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, cancelable: true }));
        // The link button opens its dialog (focused below), the picture button a file chooser;
        // any other button changes the text, where the keyboard goes back to.
        const action = button.dataset.trixAction;
        if (action !== "link" && action !== "attachFiles") editor.focus();
        return;
      }
      if (next) {
        event.preventDefault();
        current(next);
        next.focus();
      }
    });
    // Alt+F10 goes from the text to the toolbar (as in other editors): Shift+Tab does too,
    // except in a list, where Trix takes it to move the item out a level.
    editor.addEventListener("keydown", (event) => {
      if (event.altKey && event.key === "F10") {
        event.preventDefault();
        const button = tabStop();
        if (button) button.focus();
      }
    }, true);
    // The toolbar's buttons say whether they are on: Trix marks them with data-trix-active.
    const pressed = () => {
      tabStop();
      for (const button of row.querySelectorAll("button[data-trix-attribute]")) {
        button.setAttribute("aria-pressed", button.hasAttribute("data-trix-active") ? "true" : "false");
      }
    };
    editor.addEventListener("trix-selection-change", pressed);
    editor.addEventListener("trix-change", pressed);
    pressed();
    // The link dialog: its URL field gets a label; Escape brings the keyboard back to the text.
    for (const input of toolbar.querySelectorAll("[data-trix-dialog] input[type=url]")) {
      input.setAttribute("aria-label", lang.url || "URL");
      input.addEventListener("keydown", (event) => {
        if (event.key === "Escape") editor.focus();
      });
    }
    editor.addEventListener("trix-toolbar-dialog-show", () => {
      const input = toolbar.querySelector("[data-trix-dialog][data-trix-active] input[type=url]");
      if (input) window.setTimeout(() => input.focus(), 0);
    });
  };

  let sequence = 0;
  const enhance = (textarea) => {
    if (textarea.dataset.richtextReady) return;
    textarea.dataset.richtextReady = "true";
    sequence += 1;
    const id = textarea.id || `richtext-${sequence}`;
    const uploadUrl = textarea.dataset.uploadUrl || "";

    const input = document.createElement("input");
    input.type = "hidden";
    input.name = textarea.name;
    input.id = `${id}-value`;
    input.value = textarea.value;

    const editor = document.createElement("trix-editor");
    editor.id = id;
    editor.setAttribute("input", input.id);
    editor.className = "trix-content richtext-editor";
    for (const name of ["aria-invalid", "aria-required"]) {
      if (textarea.hasAttribute(name)) editor.setAttribute(name, textarea.getAttribute(name));
    }
    if (textarea.required) editor.setAttribute("aria-required", "true");
    const label = document.querySelector(`label[for="${id}"]`);
    if (label) {
      if (!label.id) label.id = `${id}-label`;
      editor.setAttribute("aria-labelledby", label.id);
    }
    if (!uploadUrl) editor.dataset.noUploads = "true";

    const hint = document.createElement("p");
    hint.className = "richtext-hint";
    hint.id = `${id}-keys`;
    hint.textContent = lang.civitasKeyboardHint || "";
    const described = [textarea.getAttribute("aria-describedby"), hint.id].filter(Boolean).join(" ");
    editor.setAttribute("aria-describedby", described);

    const region = document.createElement("p");
    region.className = "richtext-status";
    region.setAttribute("role", "status");

    editor.addEventListener("trix-initialize", () => {
      const toolbar = editor.toolbarElement;
      // The toolbar fills its buttons in when it is connected, which may come a frame later.
      const ready = () => {
        if (!toolbar.querySelector(".trix-button-row")) {
          window.requestAnimationFrame(ready);
          return;
        }
        if (!uploadUrl) {
          const group = toolbar.querySelector("[data-trix-button-group=file-tools]");
          if (group) group.remove();
        }
        makeToolbarKeyboardFriendly(toolbar, editor);
      };
      ready();
    });
    editor.addEventListener("trix-file-accept", (event) => {
      if (!uploadUrl) {
        event.preventDefault();
        return;
      }
      if (!IMAGE_TYPES.includes(event.file.type)) {
        event.preventDefault();
        say(region, lang.civitasImagesOnly || "");
      } else if (MAX_BYTES && event.file.size > MAX_BYTES) {
        event.preventDefault();
        say(region, lang.civitasTooLarge || "");
      }
    });
    editor.addEventListener("trix-attachment-add", (event) => {
      if (event.attachment.file) upload(event.attachment, editor, uploadUrl, region);
    });

    // Pictures in the editor get an empty text alternative (their caption describes them);
    // Trix lets us touch its <img> (data-trix-mutable) without taking it for an edit.
    new MutationObserver(() => {
      for (const image of editor.querySelectorAll("img:not([alt])")) image.setAttribute("alt", "");
    }).observe(editor, { childList: true, subtree: true });

    // Into the page only now that it listens: Trix may initialize as soon as it is connected.
    const wrapper = document.createElement("div");
    wrapper.className = "richtext";
    textarea.replaceWith(wrapper);
    wrapper.append(input, editor, hint, region);
  };

  const start = () => {
    configure();
    for (const textarea of document.querySelectorAll("textarea[data-richtext]")) enhance(textarea);
    // Forms that htmx brings in later (a comment's reply form) get their editor too.
    document.body.addEventListener("htmx:afterSettle", (event) => {
      for (const textarea of event.target.querySelectorAll("textarea[data-richtext]")) enhance(textarea);
    });
  };

  addStylesheet(loader.dataset.trixStyle);
  addStylesheet(loader.dataset.editorStyle);
  const trix = document.createElement("script");
  trix.src = loader.dataset.trixScript;
  trix.addEventListener("load", () => {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  });
  document.head.appendChild(trix);
})();
