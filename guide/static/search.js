/* Search in the browser, for the guide served as static files.

   A static host answers /search?q=... with the page rendered for no query, so the
   page's form says which query it was rendered for (data-query, data-area,
   data-kind). When the address asks for something else, this script loads the
   export's search index and shows the results the server would have shown: the
   same matching (guide.catalogue.text.fold and matches), filters and order. On the
   guide's own server the page already holds its results and nothing happens. */
(() => {
  "use strict";
  const form = document.querySelector("form[data-search-index]");
  if (!form) return;

  const params = new URLSearchParams(location.search);
  const wanted = {
    q: (params.get("q") || "").trim(),
    area: (params.get("area") || "").trim(),
    kind: (params.get("kind") || "").trim(),
  };
  const rendered = {
    q: form.dataset.query || "",
    area: form.dataset.area || "",
    kind: form.dataset.kind || "",
  };
  const searched = Boolean(wanted.q || wanted.area || wanted.kind);
  if (!searched || ["q", "area", "kind"].every((key) => wanted[key] === rendered[key])) return;

  /* guide.catalogue.text.fold: đ is a letter of its own (NFD leaves it), then every
     combining mark goes, then case, then runs of white space become one space. */
  const fold = (text) =>
    String(text)
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/ß/g, "ss")
      .split(/\s+/)
      .filter(Boolean)
      .join(" ");

  /* guide.catalogue.text.matches: every folded word of the query occurs in the text. */
  const matches = (query, text) => fold(query).split(" ").filter(Boolean).every((word) => text.includes(word));

  const language = form.dataset.language || document.documentElement.lang;
  const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

  const show = (index) => {
    const areaNames = new Map(
      [...form.querySelectorAll("select[name=area] option")].map((option) => [option.value, option.textContent]),
    );
    const kindNames = new Map(
      [...form.querySelectorAll("select[name=kind] option")].map((option) => [option.value, option.textContent]),
    );
    /* guide.catalogue.kinds.matches_kind: a kind by its id, or a label or alias in any language. */
    const namesKind = (kind, wantedKind) => wantedKind === kind || (index.kinds?.[kind] || []).includes(wantedKind);
    const name = (site) => site.name[language] || site.name[index.languages[0]] || site.slug;
    const found = index.sites
      .filter((site) => !wanted.area || site.area === wanted.area)
      .filter((site) => !wanted.kind || namesKind(site.kind, fold(wanted.kind)))
      .filter((site) => !wanted.q || matches(wanted.q, site.text))
      .map((site) => ({site, key: fold(name(site))}))
      .sort((a, b) => compare(a.key, b.key))
      .map((entry) => entry.site);

    // The form shows what was asked, as the server's page does.
    form.querySelector("input[name=q]").value = wanted.q;
    for (const key of ["area", "kind"]) {
      const select = form.querySelector(`select[name=${key}]`);
      if (select && [...select.options].some((option) => option.value === wanted[key])) select.value = wanted[key];
    }

    const section = document.createElement("section");
    section.setAttribute("aria-labelledby", "results");
    section.dataset.searchedInBrowser = "";
    const heading = document.createElement("h2");
    heading.id = "results";
    heading.setAttribute("role", "status");
    // The two forms of "N sites found" in the page's language, counted as CLDR does.
    const plural = new Intl.PluralRules(language.replace("_", "-")).select(found.length);
    const template = plural === "one" ? form.dataset.foundOne : form.dataset.foundOther;
    heading.textContent = template.replace(/\d+/, String(found.length));
    section.append(heading);
    if (found.length) {
      const list = document.createElement("ul");
      list.className = "sites results";
      for (const site of found) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = site.url[language] || site.url[index.languages[0]];
        link.textContent = name(site);
        const about = document.createElement("span");
        about.className = "muted";
        about.textContent = `${kindNames.get(site.kind) || site.kind} · ${areaNames.get(site.area) || site.area}`;
        item.append(link, " ", about);
        list.append(item);
      }
      section.append(list);
    } else {
      const nothing = document.createElement("p");
      nothing.textContent = form.dataset.nothing;
      section.append(nothing);
    }
    document.querySelector("section[aria-labelledby=results]")?.remove();
    form.after(section);
    // With results the server leaves out browsing by area and kind.
    for (const browse of document.querySelectorAll("section[aria-labelledby=by-area], section[aria-labelledby=by-kind]")) {
      browse.hidden = found.length > 0;
    }
    if (wanted.q && form.dataset.title) document.title = form.dataset.title.replace("{query}", () => wanted.q);
  };

  fetch(form.dataset.searchIndex, {credentials: "same-origin"})
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
    .then(show)
    .catch(() => { /* No index (the guide's own server, or no signal): the page stays as it is. */ });
})();
