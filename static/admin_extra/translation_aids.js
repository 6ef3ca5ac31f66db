// Translation aids (templates of glossary): a "Use" button copies its text into the box it names.
// Included once per box; the first copy listens for all of them.
(function () {
  if (window.ptiTranslationAids) return;
  window.ptiTranslationAids = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".pti-aids-use");
    if (!button) return;
    var box = document.getElementById(button.dataset.box);
    if (!box) return;
    box.value = button.dataset.text;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  });
})();
