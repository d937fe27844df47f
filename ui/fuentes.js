// fuentes page script: citation clicks highlight and scroll to the cited span; copy buttons.
(() => {
  const ACTIVE = "fu-active";

  function activate(key) {
    const marks = document.querySelectorAll(".fu-mark.c-" + key);
    const card = document.getElementById("fu-card-" + key);
    if (!marks.length && !card) return;
    document.querySelectorAll("." + ACTIVE).forEach((el) => el.classList.remove(ACTIVE));
    marks.forEach((m) => m.classList.add(ACTIVE));
    if (card) card.classList.add(ACTIVE);
    const target = marks[0] || card;
    for (let d = target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
    target.scrollIntoView({ block: "center", behavior: "instant" });
  }

  function copy(text, button) {
    const done = () => { const old = button.textContent; button.textContent = "Copied"; setTimeout(() => (button.textContent = old), 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, () => fallback(text) && done());
    } else if (fallback(text)) done();
  }

  function fallback(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }

  document.addEventListener("click", (ev) => {
    const link = ev.target.closest && ev.target.closest('a[href^="#fu-"]');
    if (link) {
      ev.preventDefault();
      ev.stopPropagation();
      activate(link.getAttribute("href").slice(4));
      return;
    }
    const card = ev.target.closest && ev.target.closest(".fu-card");
    if (card && !ev.target.closest("a")) activate(card.dataset.cite);
    const button = ev.target.closest && ev.target.closest(".fu-copy");
    if (button) copy(button.dataset.copy, button);
  }, true);

  // When new sources arrive, scroll each article box to its first cited span (inside the box only).
  function scrollArticles(root) {
    root.querySelectorAll(".fu-sources > .fu-turn .fu-article-text").forEach((box) => {
      const mark = box.querySelector(".fu-mark");
      if (mark) box.scrollTop = Math.max(0, mark.offsetTop - 24);
    });
  }
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const panel = document.getElementById("fu-sources-panel");
      if (panel && panel.dataset.turn !== String(panel.querySelector(".fu-turn")?.dataset.turn)) {
        panel.dataset.turn = String(panel.querySelector(".fu-turn")?.dataset.turn);
        scrollArticles(panel);
      }
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
