// Bulletin board: rotate the announcements, refresh from the server every 30 s (keep showing
// the last content when the network is down), report each announcement shown once per load.
(function () {
  "use strict";
  var body = document.body;
  var ROTATE_MS = 15000, REFRESH_MS = 30000;
  var current = 0, reported = {};

  function csrfless(url, data) {
    var form = new FormData();
    Object.keys(data).forEach(function (k) { form.append(k, data[k]); });
    return fetch(url, { method: "POST", body: form, credentials: "omit" });
  }
  function report(section) {
    var delivery = section && section.getAttribute("data-delivery");
    if (!delivery || reported[delivery]) return;
    reported[delivery] = true;
    csrfless(body.getAttribute("data-receipt"), {
      delivery: delivery, kind: "displayed", id: "load-" + Date.now() + "-" + delivery
    }).catch(function () { reported[delivery] = false; });
  }
  function sections() { return document.querySelectorAll("#items .item"); }
  function show(index) {
    var all = sections();
    if (!all.length) return;
    current = index % all.length;
    all.forEach(function (s, i) { s.classList.toggle("shown", i === current); });
    var dots = document.getElementById("dots");
    dots.innerHTML = "";
    if (all.length > 1) all.forEach(function (_, i) {
      var d = document.createElement("span"); if (i === current) d.className = "on"; dots.appendChild(d);
    });
    report(all[current]);
  }
  function esc(t) { var d = document.createElement("div"); d.textContent = t || ""; return d.innerHTML; }
  function render(data) {
    body.classList.toggle("takeover", !!data.takeover);
    var html = data.items.map(function (i) {
      var badge = i.priority === "emergency" ? '<p class="badge">⚠ THÔNG BÁO KHẨN CẤP</p>'
        : i.priority === "priority" ? '<p class="badge">ƯU TIÊN</p>' : "";
      var versions = (i.versions || []).map(function (v) {
        return '<div class="version"><b>' + esc(v.language) + ":</b> " + esc(v.title) + " — " + esc(v.body) + "</div>";
      }).join("");
      return '<section class="item prio-' + esc(i.priority) + '" data-delivery="' + i.delivery + '">' + badge +
        "<h1>" + esc(i.title) + '</h1><div class="body">' + esc(i.body).replace(/\n/g, "<br>") + "</div>" +
        versions + '<p class="meta">' + (i.issuer ? esc(i.issuer) + " · " : "") + "hiệu lực đến " + esc(i.valid_until) + "</p></section>";
    }).join("") || '<section class="item empty"><h1>Chưa có thông báo mới</h1></section>';
    var main = document.getElementById("items");
    if (main.getAttribute("data-last") !== html) {
      main.innerHTML = html; main.setAttribute("data-last", html); show(0);
    }
  }
  function refresh() {
    fetch(body.getAttribute("data-screen"), { credentials: "omit", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { document.getElementById("status").className = ""; render(data); })
      .catch(function () {
        var s = document.getElementById("status"); s.className = "offline"; s.textContent = "mất kết nối";
      });
  }
  function tick() {
    var now = new Date(), tz = body.getAttribute("data-tz") || undefined;
    document.getElementById("clock").textContent =
      now.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", timeZone: tz }) + " " +
      now.toLocaleDateString("vi-VN", { timeZone: tz });
  }
  tick(); setInterval(tick, 15000);
  show(0);
  setInterval(function () { show(current + 1); }, ROTATE_MS);
  setInterval(refresh, REFRESH_MS);
})();
