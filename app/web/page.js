// The page's own language, text size and zoom, which the app (drawn by Flutter on a
// canvas) cannot set itself. The app writes {"lang": "de", "scale": 1.5} into the
// session's device store (local storage, key below); this applies it now and on change.
(function () {
  "use strict";
  var KEY = "flutter.koeln.display";
  var root = document.documentElement;
  var lang = root.getAttribute("lang");

  function apply(raw) {
    var display;
    try {
      display = JSON.parse(raw);
      if (typeof display === "string") display = JSON.parse(display); // kept as a JSON string
    } catch (e) {
      return;
    }
    if (!display || typeof display !== "object") return;
    if (/^[a-z]{2}$/.test(display.lang || "")) {
      lang = display.lang;
      root.setAttribute("lang", lang);
    }
    var scale = Number(display.scale);
    if (scale >= 1 && scale <= 2) {
      // a share of the browser's own size, so the person's browser setting still counts;
      // Flutter's text scaler follows the root element's font size
      root.style.fontSize = scale === 1 ? "" : scale * 100 + "%";
    }
  }

  var setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    setItem.apply(this, arguments);
    if (key === KEY) apply(String(value));
  };
  try {
    var saved = window.localStorage.getItem(KEY);
    if (saved) apply(saved);
  } catch (e) {
    /* no local storage: the page keeps its defaults */
  }

  // Flutter sets <html lang> from the browser's language: the app's language wins.
  new MutationObserver(function () {
    if (lang && root.getAttribute("lang") !== lang) root.setAttribute("lang", lang);
  }).observe(root, { attributes: true, attributeFilter: ["lang"] });

  // Flutter's viewport tag disables pinch zoom; WCAG 1.4.4 wants it allowed.
  function allowZoom() {
    var meta = document.querySelector('meta[name="viewport"]');
    if (meta && /user-scalable=no|maximum-scale/.test(meta.content)) {
      meta.content = "width=device-width, initial-scale=1.0";
    }
  }
  new MutationObserver(allowZoom).observe(document.head, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["content"],
  });
})();
