/* Behaviour of the guide's public pages: keep pages for offline use, stamp the
   passport, count a story's view, share a page and read a story aloud. Everything
   works without this file; it only adds. Stamps stay in this browser (localStorage):
   nothing about them is sent. */
(() => {
  "use strict";
  const STAMPS = "guide.passport";

  const stamps = () => {
    try { return JSON.parse(localStorage.getItem(STAMPS)) || {}; } catch (error) { return {}; }
  };
  const save = (all) => {
    try { localStorage.setItem(STAMPS, JSON.stringify(all)); return true; } catch (error) { return false; }
  };
  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));

  const story = document.querySelector("[data-story]");

  /* Language: an explicit choice in the switcher is remembered (localStorage and the
     "lang" cookie the server reads), so a scanned plaque code opens in that language
     on a static host as on the server. The same rule as guide.web.i18n.negotiate. */
  const LANGUAGE = "guide.lang";
  const remember = (code) => {
    try { localStorage.setItem(LANGUAGE, code); } catch (error) { /* private mode: cookie only */ }
    document.cookie = `lang=${encodeURIComponent(code)}; path=/; max-age=31536000; SameSite=Lax`;
  };
  const switcher = [...document.querySelectorAll("nav.languages a[data-language]")];
  switcher.forEach((link) => link.addEventListener("click", () => remember(link.dataset.language)));
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked && switcher.some((link) => link.dataset.language === asked)) remember(asked);
  /* The bare root is the first language's page; send a visitor who chose, or whose
     browser prefers, another language to its root (the server does it with a 302). */
  if (location.pathname === "/" && !asked && switcher.length > 1) {
    const roots = {};
    switcher.forEach((link) => { roots[link.dataset.language.replace("_", "-").toLowerCase()] = link; });
    const codes = Object.keys(roots);
    let kept = null;
    try { kept = localStorage.getItem(LANGUAGE); } catch (error) { kept = null; }
    const wanted = (kept ? [kept] : []).concat(navigator.languages || [navigator.language || ""]);
    let chosen = null;
    for (const entry of wanted) {
      const tag = String(entry).replace("_", "-").toLowerCase();
      const primary = tag.split("-")[0];
      if (roots[tag]) { chosen = tag; break; }
      if (primary === "zh" && roots["zh-hans"] && !/-(hant|tw|hk|mo)\b/.test(tag)) { chosen = "zh-hans"; break; }
      const same = primary === "zh" ? null : codes.find((code) => code.split("-")[0] === primary);
      if (same) { chosen = same; break; }
    }
    if (chosen && chosen !== codes[0]) {
      location.replace(new URL(roots[chosen].getAttribute("href"), location.href).pathname);
    }
  }

  /* Offline: register the worker and ask it to keep this page and its files. */
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js")
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        const files = [...document.querySelectorAll("link[rel=stylesheet], link[rel=icon], script[src]")]
          .map((element) => element.href || element.src);
        document.querySelectorAll("img").forEach((image) => {
          if (image.complete && image.currentSrc) files.push(image.currentSrc);
        });
        const worker = registration.active || navigator.serviceWorker.controller;
        if (worker) {
          worker.postMessage({
            type: "keep",
            page: location.pathname + location.search,
            code: story ? story.dataset.code : "",
            files,
          });
        }
      })
      .catch(() => {});
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "kept") document.documentElement.dataset.kept = "1";
    });
  }

  /* Passport: stamp a published site's story page when it is opened. */
  if (story && story.dataset.status === "published") {
    const all = stamps();
    all[story.dataset.slug] = all[story.dataset.slug] || new Date().toISOString();
    const status = document.getElementById("stamp-status");
    if (save(all) && status) {
      status.textContent = fill(status.dataset.stamped, {count: Object.keys(all).length});
    }
  }

  /* Views: with a guide server (data-views), a story page counts itself once when it is
     shown, wherever it was served from; the server keeps a number per day, nothing else.
     A copy opened without a connection is not sent (nor kept to send later), and a page
     prerendered ahead of a click counts only when it is shown. A failure is never seen. */
  const views = story ? story.dataset.views : "";
  if (views && navigator.sendBeacon) {
    const count = () => {
      if (navigator.onLine === false) return;
      try { navigator.sendBeacon(views); } catch (error) { /* counting never breaks a page */ }
    };
    if (document.prerendering) {
      document.addEventListener("prerenderingchange", count, {once: true});
    } else {
      count();
    }
  }

  /* Links to share (a story, a tour) are relative without GUIDE_BASE_URL, never on the
     request's Host: the address the browser is on makes them whole. */
  for (const field of document.querySelectorAll("#share-link, #plan-permalink")) {
    if (field.value) field.value = new URL(field.value, document.baseURI).href;
  }

  /* Share: the phone's share sheet, else copy the link, else select it. */
  const share = document.querySelector("[data-share]");
  if (share) {
    const link = document.getElementById("share-link");
    const said = document.getElementById("share-status");
    share.hidden = false;
    share.addEventListener("click", async () => {
      const data = {title: share.dataset.title, text: share.dataset.text, url: link.value};
      if (navigator.share) {
        try { await navigator.share(data); return; } catch (error) {
          if (error.name === "AbortError") return;
        }
      }
      try {
        await navigator.clipboard.writeText(link.value);
        said.textContent = said.dataset.copied;
      } catch (error) {
        link.focus();
        link.select();
        said.textContent = said.dataset.select;
      }
    });
  }

  /* Listen: the browser's own speech, only when it has a voice for the story's language. */
  const listen = document.querySelector("[data-listen]");
  if (listen && "speechSynthesis" in window) {
    const synth = window.speechSynthesis;
    const wanted = listen.dataset.lang.toLowerCase();
    let voice = null;
    const reset = () => {
      listen.setAttribute("aria-pressed", "false");
      listen.textContent = listen.dataset.start;
    };
    const pick = () => {
      voice = synth.getVoices().find((v) => v.lang.toLowerCase().replace("_", "-").split("-")[0] === wanted);
      listen.hidden = !voice;
    };
    pick();
    synth.addEventListener("voiceschanged", pick);
    listen.addEventListener("click", () => {
      if (synth.speaking) { synth.cancel(); reset(); return; }
      const parts = [...document.querySelectorAll("#narrative h2, #narrative h3, #narrative p, #narrative li")]
        .map((element) => element.textContent.trim()).filter(Boolean);
      parts.forEach((text, index) => {
        const utterance = new SpeechSynthesisUtterance(text);
        utterance.voice = voice;
        utterance.lang = voice.lang;
        if (index === parts.length - 1) utterance.onend = reset;
        synth.speak(utterance);
      });
      listen.setAttribute("aria-pressed", "true");
      listen.textContent = listen.dataset.stop;
    });
    window.addEventListener("pagehide", () => synth.cancel());
  }

  /* The passport page: progress per area from this browser's stamps. */
  const data = document.getElementById("passport-data");
  if (data) {
    const info = JSON.parse(data.textContent);
    const all = stamps();
    const list = document.getElementById("passport-areas");
    let done = 0;
    let total = 0;
    const rows = info.areas.map((area) => {
      const row = list.querySelector(`[data-area="${CSS.escape(area.id)}"]`);
      const mine = Object.keys(all)
        .filter((slug) => info.sites[slug] && info.sites[slug].area === area.id)
        .sort((a, b) => info.sites[a].name.localeCompare(info.sites[b].name));
      done += mine.length;
      total += area.total;
      row.querySelector("[data-progress-text]").textContent =
        fill(info.text.progress, {done: mine.length, total: area.total, area: area.name});
      row.querySelector("progress").value = mine.length;
      const collected = row.querySelector("[data-collected]");
      collected.replaceChildren(...mine.map((slug) => {
        const item = document.createElement("li");
        const anchor = document.createElement("a");
        anchor.href = info.sites[slug].url;
        anchor.textContent = info.sites[slug].name;
        item.append(anchor);
        return item;
      }));
      return [mine.length, row];
    });
    rows.filter(([count]) => count > 0).reverse().forEach(([, row]) => list.prepend(row));
    document.getElementById("passport-summary").textContent = fill(info.text.summary, {done, total});
  }

  /* Feedback: say plainly when sending needs a connection that is not there.
     Without this file the browser's own offline error is what a visitor sees. */
  for (const form of document.querySelectorAll("form[data-feedback]")) {
    const notice = form.querySelector("[data-offline-notice]");
    const button = form.querySelector("button[type=submit]");
    const show = () => {
      notice.hidden = navigator.onLine;
      button.disabled = !navigator.onLine;
    };
    window.addEventListener("online", show);
    window.addEventListener("offline", show);
    show();
  }
})();
