// The hall display for a TV's browser: state from /display/state, calls
// live from /display/events (Server-Sent Events, which reconnect by
// themselves and resume after the last event seen). No customer data
// ever reaches this page: numbers, counters, counts and notices only.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const queue = [];
  let current = null;
  let lastSeq = 0;
  let reloadTimer = null;
  const showFor = 6000;

  function text(el, s) { el.textContent = s; }

  function tick() {
    const d = new Date();
    const two = (n) => String(n).padStart(2, "0");
    text($("clock"), `${d.getMonth() + 1}月${d.getDate()}日 ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`);
  }

  function render(st) {
    text($("hall"), st.hall);
    document.title = st.hall + " · 叫号屏";
    const counters = $("counters");
    counters.replaceChildren(...(st.counters || []).map((c) => {
      const li = document.createElement("li");
      li.className = c.state === "关闭" ? "closed" : "";
      const name = document.createElement("span");
      text(name, c.name);
      const num = document.createElement("span");
      num.className = "num";
      text(num, c.calling || (c.state === "开放" ? "" : c.state));
      li.append(name, num);
      return li;
    }));
    renderRecent(st.recent || []);
    const notices = $("notices");
    notices.replaceChildren(...(st.notices || []).map((n) => {
      const div = document.createElement("div");
      div.className = n.kind;
      text(div, `【${n.label}】${n.text}`);
      return div;
    }));
    const waiting = $("waiting");
    waiting.replaceChildren(...(st.waiting || []).map((w) => {
      const span = document.createElement("span");
      span.className = "type";
      text(span, w.name);
      const b = document.createElement("b");
      text(b, String(w.waiting));
      span.append(b);
      return span;
    }));
  }

  let recent = [];
  function renderRecent(list) {
    recent = list.slice(0, 8);
    $("recent").replaceChildren(...recent.map((c) => {
      const li = document.createElement("li");
      const num = document.createElement("span");
      num.className = "num";
      text(num, c.number);
      if (c.recall) {
        const r = document.createElement("span");
        r.className = "recall";
        text(r, "重呼");
        num.append(r);
      }
      const where = document.createElement("span");
      text(where, c.counter_name);
      li.append(num, where);
      return li;
    }));
  }

  function step() {
    current = queue.shift() || null;
    const banner = $("banner");
    if (!current) {
      banner.className = "rest";
      text($("banner-line"), "欢迎光临，请留意叫号");
      return;
    }
    banner.className = "flash";
    text($("banner-line"), current.recall ? "重呼" : "请");
    text($("banner-number"), current.number + "号");
    text($("banner-counter"), "到" + current.counter_name + "办理");
    setTimeout(() => { banner.className = ""; }, 800);
    setTimeout(step, showFor);
  }

  function announce(c) {
    renderRecent([c].concat(recent.filter((r) => r.seq !== c.seq)));
    // A recall of a number still waiting for the banner replaces it.
    for (let i = queue.length - 1; i >= 0; i--) {
      if (queue[i].number === c.number && queue[i].counter === c.counter) queue.splice(i, 1);
    }
    queue.push(c);
    if (!current) step();
  }

  async function load() {
    const r = await fetch("/display/state", { cache: "no-store" });
    if (!r.ok) throw new Error("state " + r.status);
    const st = await r.json();
    render(st);
    return st;
  }

  function reloadSoon() {
    if (reloadTimer) return;
    reloadTimer = setTimeout(() => { reloadTimer = null; load().catch(() => {}); }, 400);
  }

  function connect() {
    const es = new EventSource("/display/events?after=" + lastSeq);
    es.onopen = () => { $("status").hidden = true; };
    es.onerror = () => { $("status").hidden = false; };
    es.onmessage = (m) => {
      const d = JSON.parse(m.data);
      lastSeq = d.seq;
      if (d.type === "call") announce(d);
      reloadSoon();
    };
  }

  async function start() {
    tick();
    setInterval(tick, 1000);
    for (;;) {
      try {
        const st = await load();
        lastSeq = st.last_seq;
        break;
      } catch (e) {
        $("status").hidden = false;
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    $("status").hidden = true;
    document.body.dataset.ready = "1";
    connect();
    // Counts and notices also change with the clock (midnight, notices
    // that expire): read the state again every minute.
    setInterval(() => load().catch(() => {}), 60000);
  }
  start();
})();
