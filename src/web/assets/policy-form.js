// The strike ladder's "Add a step" and "Remove" (src/web/policy-controls.ts). Without this script the
// form still works: one empty row adds a step, and a step left without a number is removed.
(function () {
  'use strict';
  var list = document.querySelector('[data-ladder]');
  var template = document.querySelector('[data-ladder-template]');
  var add = document.querySelector('[data-ladder-add]');
  if (!list || !template || !add) return;

  function renumber() {
    Array.prototype.forEach.call(list.children, function (row, i) {
      var labels = row.querySelectorAll('label');
      var controls = row.querySelectorAll('input, select');
      var parts = ['strikes', 'action'];
      var words = ['strikes', 'propose'];
      for (var k = 0; k < controls.length; k++) {
        controls[k].id = 'ladder-' + i + '-' + parts[k];
        labels[k].htmlFor = controls[k].id;
        labels[k].textContent = 'Step ' + (i + 1) + ': ' + words[k];
      }
      var remove = row.querySelector('[data-ladder-remove]');
      remove.hidden = false;
      remove.setAttribute('aria-label', 'Remove step ' + (i + 1));
    });
  }

  list.addEventListener('click', function (event) {
    var button = event.target.closest('[data-ladder-remove]');
    if (!button) return;
    var row = button.closest('li');
    var next = row.nextElementSibling || row.previousElementSibling;
    if (list.children.length > 1) row.remove();
    else row.querySelector('input').value = '';
    renumber();
    (next && next.parentNode === list ? next.querySelector('input') : add).focus();
  });

  add.addEventListener('click', function () {
    list.appendChild(template.content.firstElementChild.cloneNode(true));
    renumber();
    list.lastElementChild.querySelector('input').focus();
  });

  add.hidden = false;
  renumber();
})();
