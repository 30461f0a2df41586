/* A display formula wider than its column scrolls sideways on its own (book.css). A keyboard
 * must be able to reach it to scroll it, so such a formula, and only while it overflows, is a tab
 * stop, as the theme does for wide code blocks; no other formula is (_ext/static_maths.py). */
"use strict";

(function () {
  function markScrollingFormulas() {
    document.querySelectorAll("div.math > .katex-display").forEach((formula) => {
      if (formula.scrollWidth > formula.clientWidth + 1) formula.tabIndex = 0;
      else formula.removeAttribute("tabindex");
    });
  }
  let pending = null;
  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(markScrollingFormulas, 100);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markScrollingFormulas);
  } else {
    markScrollingFormulas();
  }
  document.fonts.ready.then(markScrollingFormulas); // KaTeX's fonts change the widths
  window.addEventListener("resize", later);
})();
