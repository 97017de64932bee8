// Suggestions while typing in the header search: the ARIA 1.2 combobox pattern (list autocomplete,
// nothing written into the field: the user's text stays as typed). Without JavaScript the search
// form still works. The suggestions come from /api/complete?kind=entity (typo-tolerant).
(function () {
  "use strict";
  var form = document.querySelector("header.site form.search");
  var input = form && form.querySelector("input[name=q]");
  if (!input || !window.fetch) {
    return;
  }
  var list = document.createElement("ul");
  list.id = "search-suggestions";
  list.className = "search-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  form.appendChild(list);
  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");

  var items = [];
  var active = -1;
  var timer = null;
  var asked = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    active = index;
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(suggestions) {
    list.textContent = "";
    items = suggestions.filter(function (s) { return s.href; }).map(function (s, i) {
      var item = document.createElement("li");
      item.id = "search-suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.href = s.href;
      var label = document.createElement("span");
      label.className = "suggestion-label";
      label.textContent = s.label;
      var type = document.createElement("span");
      type.className = "suggestion-type";
      type.textContent = s.type;
      item.appendChild(label);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(type);
      if (s.definition) {
        var definition = document.createElement("span");
        definition.className = "suggestion-definition";
        definition.textContent = s.definition;
        item.appendChild(definition);
      }
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });
      item.addEventListener("click", function () { window.location.href = item.dataset.href; });
      list.appendChild(item);
      return item;
    });
    active = -1;
    if (items.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
    status.textContent = items.length ? items.length + " suggestion" + (items.length === 1 ? "" : "s") +
      "; arrow down to choose one." : "No suggestions.";
  }

  function ask() {
    var text = input.value.trim();
    if (text.length < 2) {
      close();
      return;
    }
    var mine = ++asked;
    var url = "/api/complete?kind=entity&limit=8&token=" + encodeURIComponent(text.slice(0, 200));
    fetch(url, {headers: {Accept: "application/json"}}).then(function (response) {
      return response.ok ? response.json() : {suggestions: []};
    }).then(function (answer) {
      if (mine === asked && document.activeElement === input) {
        show(answer.suggestions || []);
      }
    }).catch(function () { close(); });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) {
        if (items.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        return;
      }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = active + step;
      highlight(next < -1 ? items.length - 1 : (next >= items.length ? -1 : next));
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.href = items[active].dataset.href;
    } else if (event.key === "Escape") {
      if (!list.hidden) {
        event.preventDefault();
        close();
      }
    }
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 100); });
})();
