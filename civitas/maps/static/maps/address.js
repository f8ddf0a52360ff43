/* Suggestions under address fields (the ARIA combobox pattern). The server asks the
   organization's geocoder; picking a suggestion fills the hidden coordinates and their
   signature. Typing changes the address: the coordinates are then found at save time. */
(function () {
  "use strict";

  var DELAY = 300;
  var counter = 0;

  function setup(input) {
    var form = input.form;
    if (!form) return;
    var hidden = {
      latitude: form.querySelector('[name$="address_latitude"]'),
      longitude: form.querySelector('[name$="address_longitude"]'),
      check: form.querySelector('[name$="address_check"]'),
    };
    if (!hidden.latitude || !hidden.longitude || !hidden.check) return;
    counter += 1;
    var listId = "address-suggestions-" + counter;
    var wrapper = document.createElement("div");
    wrapper.className = "address-combobox";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "address-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-suggestions-label") || "");
    list.hidden = true;
    wrapper.appendChild(list);
    var status = document.createElement("p");
    status.className = "address-status";
    status.setAttribute("role", "status");
    wrapper.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var places = [];
    var active = -1;
    var timer = null;
    var pending = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, position) {
        option.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var place = places[index];
      if (!place) return;
      input.value = place.label;
      hidden.latitude.value = String(place.latitude);
      hidden.longitude.value = String(place.longitude);
      hidden.check.value = place.check;
      status.textContent = input.getAttribute("data-chosen-label") || "";
      close();
    }

    function show(found) {
      places = found;
      list.textContent = "";
      found.forEach(function (place, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = place.label;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keeps the focus in the field
          choose(index);
        });
        list.appendChild(option);
      });
      if (found.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = (input.getAttribute("data-count-label") || "%s").replace("%s", found.length);
      } else {
        close();
        status.textContent = input.getAttribute("data-none-label") || "";
      }
      highlight(-1);
    }

    function search() {
      var query = input.value.trim();
      if (pending) pending.abort();
      if (query.length < 3) {
        show([]);
        status.textContent = "";
        return;
      }
      pending = new AbortController();
      var url = input.getAttribute("data-address-suggest") + "?q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal: pending.signal })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (answer) {
          if (input.value.trim() !== query) return;
          if (answer.ok) show(answer.body.places || []);
          else {
            show([]);
            status.textContent = answer.body.error || "";
          }
        })
        .catch(function (error) {
          if (error.name !== "AbortError") status.textContent = input.getAttribute("data-error-label") || "";
        });
    }

    input.addEventListener("input", function () {
      hidden.latitude.value = "";
      hidden.longitude.value = "";
      hidden.check.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && places.length;
      if (event.key === "ArrowDown" && open) {
        event.preventDefault();
        highlight((active + 1) % places.length);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? places.length - 1 : active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault(); // chooses the suggestion, does not send the form
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
  }

  function setupAll() {
    document.querySelectorAll("input[data-address-suggest]").forEach(setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupAll);
  else setupAll();
})();
