// tidings web pages: the only script, served from /static (the CSP forbids inline scripts).
// It lights up every piece of the fact named in the address (#fact-ID): a fact whose
// evidence overlaps another's is drawn as several <mark>s, and only the first has the id.
"use strict";

function highlightTargetFact() {
  for (const old of document.querySelectorAll("mark.is-current")) {
    old.classList.remove("is-current");
  }
  let hash = "";
  try {
    hash = decodeURIComponent(window.location.hash.slice(1));
  } catch (error) {
    return; // a malformed address names no fact
  }
  if (!hash.startsWith("fact-")) {
    return;
  }
  const target = document.getElementById(hash);
  if (!target) {
    return;
  }
  const factId = target.dataset.fact;
  for (const piece of document.querySelectorAll("mark[data-fact]")) {
    if (piece.dataset.fact === factId) {
      piece.classList.add("is-current");
    }
  }
  target.scrollIntoView({ block: "center" });
}

window.addEventListener("hashchange", highlightTargetFact);
document.addEventListener("DOMContentLoaded", highlightTargetFact);
