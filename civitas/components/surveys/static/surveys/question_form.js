// The question form shows only the fields the chosen type uses. Without JavaScript every
// field shows with a hint naming its types, and the server drops what a type does not use.
(function () {
  "use strict";
  function update(form, announce) {
    var select = form.querySelector('select[name="type"]');
    if (!select) return;
    var kind = select.value;
    var fields = form.querySelectorAll("[data-question-types]");
    for (var i = 0; i < fields.length; i++) {
      var used = fields[i].dataset.questionTypes.split(" ").indexOf(kind) !== -1;
      fields[i].hidden = !used;
    }
    var status = document.getElementById("question-fields-status");
    if (announce && status) {
      var label = select.options[select.selectedIndex].text;
      status.textContent = (form.dataset.announce || "{type}").replace("{type}", label);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".question-form");
    if (!form) return;
    var select = form.querySelector('select[name="type"]');
    if (select) select.addEventListener("change", function () { update(form, true); });
    update(form, false);
  });
})();
