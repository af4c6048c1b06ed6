/* Service worker of the Red Addresses Guide, version {{ version }}.
   Pages a visitor has opened (story pages, the passport, the home page) and the
   files they use are kept, so they open again without a signal. Pages are asked
   from the network first (they may have changed); files with a hash in their name
   never change, so they come from the cache first. */
"use strict";
const VERSION = "{{ version }}";
const PAGES = "guide-pages-v1";
const FILES = "guide-files-v1";
const CORE = {{ core_json }};
const CORE_PAGES = {{ pages_json }};
const OFFLINE = {{ offline_url }};
const WAIT_MS = 4000;
/* Path prefixes of the languages after the first ("/en"): their pages are kept too. */
const LANGUAGE_PREFIXES = {{ prefixes_json }};

function unprefixed(pathname) {
  for (const prefix of LANGUAGE_PREFIXES) {
    if (pathname === prefix || pathname === prefix + "/") return "/";
    if (pathname.startsWith(prefix + "/")) return pathname.slice(prefix.length);
  }
  return pathname;
}

function keptPage(url) {
  const path = unprefixed(url.pathname);
  return url.origin === location.origin &&
    (path === "/" || path === "/passport" || path === OFFLINE ||
     path.startsWith("/sites/"));
}

function keptFile(url) {
  return url.origin === location.origin && /^\/(static|photos)\//.test(url.pathname);
}

function codeKey(url) {
  const match = /^\/s\/([A-Za-z0-9]+)\/?$/i.exec(url.pathname);
  return match ? new URL("/S/" + match[1].toUpperCase(), location.origin).href : null;
}

/* A copy that is not marked as redirected, which a navigation may use. */
async function plain(response) {
  const body = await response.blob();
  return new Response(body, {status: response.status, statusText: response.statusText,
                             headers: response.headers});
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const files = await caches.open(FILES);
    await files.addAll(CORE);
    const pages = await caches.open(PAGES);
    await pages.addAll(CORE_PAGES);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== PAGES && name !== FILES) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function fromCache(request) {
  const pages = await caches.open(PAGES);
  const url = new URL(request.url);
  const key = codeKey(url);
  /* A host without rules adds a folder's slash (/sites/x/): either spelling finds the copy. */
  const other = new URL(url.pathname.endsWith("/") ? url.pathname.slice(0, -1) : url.pathname + "/",
                        location.origin);
  return (await pages.match(key || request, {ignoreVary: true})) ||
    (await pages.match(request, {ignoreVary: true, ignoreSearch: true})) ||
    (url.pathname !== "/" && await pages.match(other.href, {ignoreVary: true}));
}

async function keep(request, response) {
  const url = new URL(response.url || request.url);
  if (!response.ok || !keptPage(url)) return;
  const pages = await caches.open(PAGES);
  await pages.put(url.href, await plain(response.clone()));
  const key = codeKey(new URL(request.url));
  if (key) await pages.put(key, await plain(response.clone()));
}

async function page(event) {
  const request = event.request;
  const network = fetch(request).then((response) => {
    event.waitUntil(keep(request, response.clone()).catch(() => null));
    return response;
  });
  const cached = await fromCache(request);
  if (!cached) {
    try {
      return await network;
    } catch (error) {
      return (await caches.match(OFFLINE, {ignoreVary: true})) || Response.error();
    }
  }
  /* With a copy at hand, a weak signal gets WAIT_MS before the copy is shown. */
  event.waitUntil(network.catch(() => null));
  const late = new Promise((resolve) => setTimeout(() => resolve(cached), WAIT_MS));
  return Promise.race([network.catch(() => cached), late]);
}

async function file(request) {
  const files = await caches.open(FILES);
  const cached = await files.match(request, {ignoreVary: true});
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.status === 200) await files.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (keptFile(url)) {
    event.respondWith(file(request));
  }
});

/* A page opened before the worker took control asks to be kept, with its files. */
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep") return;
  event.waitUntil((async () => {
    const pages = await caches.open(PAGES);
    const files = await caches.open(FILES);
    const pageUrl = new URL(data.page, location.origin);
    let copy = await pages.match(pageUrl.href, {ignoreVary: true});
    if (!copy && keptPage(pageUrl)) {
      const response = await fetch(pageUrl.href, {credentials: "same-origin"});
      if (response.ok) {
        await pages.put(pageUrl.href, response.clone());
        copy = response;
      }
    }
    if (copy && data.code) {
      await pages.put(new URL("/S/" + String(data.code).toUpperCase(), location.origin).href,
                      await plain(copy.clone()));
    }
    for (const address of data.files || []) {
      const url = new URL(address, location.origin);
      if (keptFile(url) && !(await files.match(url.href))) {
        try { await files.add(url.href); } catch (error) { /* kept next time */ }
      }
    }
    if (event.source) event.source.postMessage({type: "kept", page: pageUrl.href});
  })());
});
