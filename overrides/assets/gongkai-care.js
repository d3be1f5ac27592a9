/* gongkai: the header's 长者模式 switch and print button (partials/gongkai-tools.html).
   The mode is the class gk-care on <html>, remembered in localStorage under "gk-care";
   partials/gongkai-head.html applies it before the first paint. Nothing is loaded from anywhere. */
(function () {
  "use strict";
  var KEY = "gk-care";
  var root = document.documentElement;

  function remember(on) {
    try {
      if (on) localStorage.setItem(KEY, "on"); else localStorage.removeItem(KEY);
    } catch (e) { /* storage refused (private mode): the switch still works on this page */ }
  }

  var toggle = document.querySelector("[data-gk-care]");
  if (toggle) {
    var show = function () {
      var on = root.classList.contains("gk-care");
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
    };
    toggle.addEventListener("click", function () {
      var on = !root.classList.contains("gk-care");
      root.classList.toggle("gk-care", on);
      remember(on);
      show();
    });
    show();
    toggle.hidden = false;
  }

  var print = document.querySelector("[data-gk-print]");
  if (print && typeof window.print === "function") {
    print.addEventListener("click", function () { window.print(); });
    print.hidden = false;
  }
})();
