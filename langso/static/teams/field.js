// The field app: the worklist and the visit form, working without signal.
// The list of households comes from data.json and is kept in localStorage; each saved visit
// waits in a local queue (with its own id, so a resend is recognised) until the server answers
// for it. Refused visits and conflicting facts stay on screen until someone looks at them.
(function () {
  "use strict";
  const root = document.getElementById("field");
  if (!root) return;
  const T = document.getElementById("t-text").dataset;
  const LABELS = JSON.parse(document.getElementById("fact-labels").textContent);
  // one phone may be shared: each account keeps its own list, queue and notes, and opening the
  // app drops the lists other accounts left (their queued visits stay until they sync them)
  const who = root.dataset.user;
  const KEYS = {
    data: `langso.field.${who}.data`,
    queue: `langso.field.${who}.queue`,
    issues: `langso.field.${who}.issues`,
    villages: `langso.field.${who}.villages`,
  };
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith("langso.field.") && key.endsWith(".data") && key !== KEYS.data) localStorage.removeItem(key);
  }
  const $ = (id) => document.getElementById(id);
  let data = read(KEYS.data, null);
  let current = null; // the household whose visit form is open

  function read(key, fallback) {
    try {
      const text = localStorage.getItem(key);
      return text ? JSON.parse(text) : fallback;
    } catch (e) {
      return fallback;
    }
  }
  function write(key, value) {
    localStorage.setItem(key, JSON.stringify(value));
  }
  function queue() {
    return read(KEYS.queue, []);
  }
  function newId() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  function csrf() {
    const m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : root.dataset.csrf;
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  // --- status ------------------------------------------------------------------------------
  function status() {
    const waiting = queue().length;
    const parts = [];
    if (!navigator.onLine) parts.push(T.offline);
    parts.push(waiting ? `${waiting} ${T.waiting}` : T.synced);
    if (data) {
      const at = new Date(data.fetched_at);
      const when = `${at.toLocaleDateString("vi-VN")} ${at.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" })}`;
      parts.push(`${T.fetched} ${when} · ${data.households.length} ${T.households}`);
    }
    $("sync-status").textContent = parts.join(" · ");
    $("sync-status").dataset.waiting = String(waiting);
    const list = $("waiting-list");
    list.replaceChildren(...queue().map((v) => el("li", { text: `${v.visited_on.split("-").reverse().join("/")} · ${v.title}` })));
    renderIssues();
  }
  function renderIssues() {
    const issues = read(KEYS.issues, []);
    const list = $("conflict-list");
    list.replaceChildren();
    for (const issue of issues) list.append(el("li", { text: issue.text }));
    $("conflicts").hidden = issues.length === 0;
  }
  function addIssue(text) {
    const issues = read(KEYS.issues, []);
    issues.push({ text, at: new Date().toISOString() });
    write(KEYS.issues, issues.slice(-50));
  }

  // --- the list ----------------------------------------------------------------------------
  function head(h) {
    const found = h.members.find((m) => m.head) || h.members[0];
    return found ? found.name : h.code;
  }
  function renderList() {
    const list = $("worklist");
    list.replaceChildren();
    if (!data) {
      list.append(el("li", { text: T.nodata }));
      return;
    }
    const find = $("find").value.trim().toLowerCase();
    const plain = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").toLowerCase();
    const shown = data.households.filter((h) => !find || plain(head(h) + " " + h.code).includes(plain(find)));
    for (const h of shown.slice(0, 300)) {
      const last = h.last_visit ? `${T.last} ${h.last_visit.split("-").reverse().join("/")}` : T.never;
      list.append(
        el(
          "li",
          { class: "card" },
          el("button", { type: "button", class: "pick", "data-household": h.id, onclick: () => openVisit(h), text: `${head(h)} · ${h.code}` }),
          el("div", { class: "muted", text: `${h.village} · ${last}${h.points ? ` · ${h.points} ${T.points}` : ""}` }),
          h.reasons.length ? el("div", { class: "why", text: h.reasons.join(" · ") }) : null,
        ),
      );
    }
  }

  // --- the visit form ----------------------------------------------------------------------
  function radio(name, value, label, checked) {
    const input = el("input", { type: "radio", name, value });
    input.checked = checked;
    return el("label", {}, input, ` ${label}`);
  }
  function question(attrs, title, name, options, extra) {
    // one question, its answers as a row of pills: [value, label] pairs, the first chosen
    return el(
      "div",
      { class: "choices seg", ...attrs },
      el("p", { class: "q", text: title }),
      el("div", { class: "opts" }, ...options.map(([value, label], i) => radio(name, value, label, i === 0))),
      extra,
    );
  }
  const MAIN_FACTS = ["has_smartphone", "uses_internet", "vneid_level", "pays_cashless", "uses_messaging", "uses_online_public_services"];
  function openVisit(h) {
    current = h;
    $("list-view").hidden = true;
    $("visit-view").hidden = false;
    $("visit-title").textContent = `${head(h)} · ${h.code}`;
    $("visit-reasons").textContent = h.reasons.join(" · ");
    const form = $("visit-form");
    form.reset();
    form.visited_on.value = new Date().toISOString().slice(0, 10);
    form.visited_on.max = form.visited_on.value;
    const present = $("present");
    present.replaceChildren();
    for (const m of h.members) {
      const box = el("input", { type: "checkbox", name: "present", value: m.id });
      box.checked = m.head;
      present.append(el("label", { class: "check" }, box, ` ${m.name} (${m.age})`));
    }
    const consent = form.consent_method;
    consent.length = 1;
    for (const m of data.consent_methods) consent.append(el("option", { value: m.code, text: m.label }));
    const skills = $("skills");
    skills.replaceChildren();
    const more = el("details", {}, el("summary", { text: T.moreSkills }));
    for (const s of data.skills) {
      const suggested = h.skills.includes(s.code);
      const guide = el("details", {}, el("summary", { text: T.guide }), el("ol", {}, ...s.steps.map((t) => el("li", { text: t }))));
      const q = question(
        { "data-skill": s.code },
        s.title + (suggested ? " ★" : ""),
        `skill-${s.code}`,
        [["", T.none], ["shown", T.shown], ["practised", T.practised], ["alone", T.alone]],
        guide,
      );
      (suggested ? skills : more).append(q);
    }
    skills.append(more);
    const facts = $("facts");
    facts.replaceChildren();
    const otherFacts = el("details", {}, el("summary", { text: T.moreFacts }));
    for (const [field, label] of Object.entries(LABELS)) {
      const now = h.profile[field];
      const known = now === null || now === undefined ? "?" : field === "vneid_level" ? (now >= 2 ? T.yes : T.no) : now ? T.yes : T.no;
      const q = question({ "data-fact": field }, `${label} (${T.before}: ${known})`, `fact-${field}`, [["", T.same], ["yes", T.yes], ["no", T.no]]);
      (MAIN_FACTS.includes(field) ? facts : otherFacts).append(q);
    }
    facts.append(otherFacts);
    window.scrollTo(0, 0);
  }
  function closeVisit() {
    current = null;
    $("visit-view").hidden = true;
    $("list-view").hidden = false;
    renderList();
  }
  function photoData(file) {
    // a small JPEG (longest side 1024 px): a cheap phone's storage and a slow upload
    return new Promise((resolve) => {
      if (!file) return resolve("");
      const image = new Image();
      image.onload = () => {
        const scale = Math.min(1, 1024 / Math.max(image.width, image.height));
        const canvas = el("canvas", {});
        canvas.width = Math.round(image.width * scale);
        canvas.height = Math.round(image.height * scale);
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        resolve(canvas.toDataURL("image/jpeg", 0.7));
      };
      image.onerror = () => resolve("");
      image.src = URL.createObjectURL(file);
    });
  }
  async function saveVisit(event) {
    event.preventDefault();
    const form = event.target;
    const h = current;
    const skills = {};
    for (const s of data.skills) {
      const picked = form.querySelector(`input[name="skill-${s.code}"]:checked`);
      if (picked && picked.value) skills[s.code] = picked.value;
    }
    const facts = {};
    const base = {};
    for (const field of Object.keys(LABELS)) {
      const picked = form.querySelector(`input[name="fact-${field}"]:checked`);
      if (!picked || !picked.value) continue;
      const yes = picked.value === "yes";
      facts[field] = field === "vneid_level" ? (yes ? 2 : 0) : yes;
      base[field] = h.profile[field] === undefined ? null : h.profile[field];
    }
    const visit = {
      client_id: newId(),
      household: h.id,
      visited_on: form.visited_on.value,
      present: Array.from(form.querySelectorAll("input[name=present]:checked"), (b) => Number(b.value)),
      consent_method: form.consent_method.value,
      skills,
      facts,
      base,
      needs: form.needs.value,
      photo: await photoData(form.photo.files[0]),
      title: `${head(h)} · ${h.code}`,
    };
    const waiting = queue();
    waiting.push(visit);
    write(KEYS.queue, waiting);
    // what the phone now knows of the household, until the next download
    h.last_visit = visit.visited_on;
    Object.assign(h.profile, facts);
    write(KEYS.data, data);
    closeVisit();
    status();
    sync();
  }

  // --- sync --------------------------------------------------------------------------------
  let syncing = false;
  async function sync() {
    const waiting = queue();
    if (syncing || !waiting.length || !navigator.onLine) return status();
    syncing = true;
    try {
      const response = await fetch(root.dataset.syncUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ visits: waiting.slice(0, 100) }),
      });
      if (response.status === 403 || response.redirected) {
        addIssue(T.login);
        return;
      }
      if (!response.ok) return;
      const answer = await response.json();
      const done = new Set();
      for (const r of answer.results) {
        const visit = waiting.find((v) => v.client_id === r.client_id);
        const title = visit ? visit.title : r.client_id;
        if (r.status === "stored" || r.status === "duplicate") done.add(r.client_id);
        if (r.status === "refused") {
          done.add(r.client_id);
          const why = Object.values(r.errors || {}).flat().join(" ");
          addIssue(`${T.refused}: ${title} — ${why}`);
        }
        for (const c of r.conflicts || []) {
          addIssue(`${T.conflict}: ${title} — ${LABELS[c.field] || c.field}: ${T.yours} ${show(c.mine)}, ${T.theirs} ${show(c.theirs)}`);
        }
      }
      // a refused visit is kept in the issues list (with its reason), never dropped silently
      write(KEYS.queue, queue().filter((v) => !done.has(v.client_id)));
    } catch (e) {
      // no connection after all: the queue stays as it is
    } finally {
      syncing = false;
      status();
    }
    if (queue().length && navigator.onLine) setTimeout(sync, 1000);
  }
  function show(value) {
    if (value === null || value === undefined) return "?";
    if (typeof value === "number") return value >= 2 ? T.yes : T.no;
    return value ? T.yes : T.no;
  }

  // --- the list from the server ------------------------------------------------------------
  async function load(villages) {
    const url = new URL(root.dataset.dataUrl, location.href);
    for (const v of villages || read(KEYS.villages, [])) url.searchParams.append("village", v);
    if (villages) write(KEYS.villages, villages);
    $("sync-status").textContent = T.loading;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      const answer = await response.json();
      if (!response.ok) {
        addIssue(answer.error || String(response.status));
      } else {
        data = answer;
        write(KEYS.data, data);
      }
    } catch (e) {
      // offline: keep what the phone has
    }
    renderList();
    status();
  }

  async function keepOffline() {
    if (!("serviceWorker" in navigator)) return;
    try {
      await navigator.serviceWorker.register(root.dataset.swUrl, { scope: "/teams/field/" });
      const cache = await caches.open("langso-field-v1");
      const assets = [location.pathname, ...Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"), (n) => n.href || n.src)];
      await cache.addAll(assets);
      root.dataset.offlineReady = "1";
      $("offline-ready").hidden = false;
    } catch (e) {
      // the app still works online
    }
  }

  $("visit-form").addEventListener("submit", saveVisit);
  $("back").addEventListener("click", closeVisit);
  $("find").addEventListener("input", renderList);
  $("sync-now").addEventListener("click", sync);
  $("reload-data").addEventListener("click", () => load());
  const pick = $("load-villages");
  if (pick) pick.addEventListener("click", () => load(Array.from(document.querySelectorAll("#village-pick input:checked"), (b) => b.value)));
  window.addEventListener("online", sync);
  window.addEventListener("offline", status);
  renderList();
  status();
  keepOffline();
  if (navigator.onLine) load().then(sync);
  setInterval(sync, 60000);
})();
