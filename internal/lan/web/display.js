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

  // 长者模式: every text at least 1.4 times as large, in stronger
  // contrast; the lists show the rows that fit (fitLists) and the banner
  // only number and counter. A TV has no touch screen: the page's address
  // turns it on or off (/display?elder=1, ?elder=0), and F2 on a keyboard
  // or remote switches it; this browser remembers the choice.
  const elderKey = "servicehall.display.elder";
  function setElder(on, keep) {
    document.body.classList.toggle("elder", on);
    if (keep) {
      try { localStorage.setItem(elderKey, on ? "1" : "0"); } catch (e) { /* private mode */ }
    }
    if (step.redraw) step.redraw();
    fitLists();
  }
  function initElder() {
    const asked = new URLSearchParams(location.search).get("elder");
    let on = false;
    if (asked === "1" || asked === "0") {
      on = asked === "1";
    } else {
      try { on = localStorage.getItem(elderKey) === "1"; } catch (e) { on = false; }
    }
    setElder(on, asked === "1" || asked === "0");
    document.addEventListener("keydown", (ev) => {
      if (ev.key === "F2") {
        ev.preventDefault();
        setElder(!document.body.classList.contains("elder"), true);
      }
    });
  }
  const elder = () => document.body.classList.contains("elder");

  // fitLists hides the rows of the counters and the recent calls that
  // would run past their panel's foot: fewer rows, none cut in half (in
  // 长者模式 fewer still).
  function fitLists() {
    for (const id of ["counters", "recent"]) {
      const rows = [...$(id).children];
      rows.forEach((li) => li.classList.remove("clipped"));
      const foot = $(id + "-box").getBoundingClientRect().bottom;
      rows.forEach((li) => { if (li.getBoundingClientRect().bottom > foot + 1) li.classList.add("clipped"); });
    }
  }
  window.addEventListener("resize", fitLists);

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
      li.className = c.code === "closed" ? "closed" : "";
      const name = document.createElement("span");
      text(name, c.name);
      const num = document.createElement("span");
      num.className = "num";
      text(num, c.calling || (c.code === "open" ? "" : c.state));
      li.append(name, num);
      return li;
    }));
    renderRecent(st.recent || []);
    fitLists();
    const notices = $("notices");
    notices.replaceChildren(...(st.notices || []).map((n) => {
      const div = document.createElement("div");
      div.className = n.kind;
      text(div, `【${n.label}】${n.text}`);
      return div;
    }));
    const waiting = $("waiting");
    const types = st.waiting || [];
    $("waiting-none").className = types.some((w) => w.waiting > 0) ? "" : "all";
    waiting.replaceChildren(...types.map((w) => {
      const span = document.createElement("span");
      span.className = w.waiting > 0 ? "type" : "type none";
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
    fitLists();
  }

  // showCurrent puts the call on show in the banner, or rests it; in
  // 长者模式 only the number and the counter, with 重呼 for a recall.
  function showCurrent() {
    const line = $("banner-line");
    line.hidden = false;
    if (!current) {
      $("banner").className = "rest";
      text(line, elder() ? "请留意屏幕和语音叫号" : "欢迎光临，请留意叫号");
      return;
    }
    if (elder()) {
      line.hidden = !current.recall;
      text(line, "重呼");
      text($("banner-number"), current.number);
      text($("banner-counter"), "→ " + current.counter_name);
    } else {
      text(line, current.recall ? "重呼" : "请");
      text($("banner-number"), current.number + "号");
      text($("banner-counter"), "到" + current.counter_name + "办理");
    }
  }

  function step() {
    current = queue.shift() || null;
    showCurrent();
    if (!current) return;
    const banner = $("banner");
    banner.className = "flash";
    setTimeout(() => { if (banner.className === "flash") banner.className = ""; }, 800);
    setTimeout(step, showFor);
    fitLists();
  }
  step.redraw = () => { showCurrent(); };

  function announce(c) {
    // A number called again moves up rather than being listed twice.
    renderRecent([c].concat(recent.filter((r) => r.seq !== c.seq && r.number !== c.number)));
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
    initElder();
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
