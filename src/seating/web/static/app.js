// The web app's few behaviours, written here (no framework, no CDN: the app works offline).
// Every page works without it except drag and drop, the live rule check and the progress bar.
"use strict";

const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

// A sentence the page wrote in its language, with {name}-style blanks filled in.
const say = (text, blanks) => text.replace(/\{(\w+)\}/g, (all, key) => (key in blanks ? blanks[key] : all));

async function post(url, fields) {
  const body = new URLSearchParams(fields);
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: { "X-CSRF-Token": csrf(), Accept: "application/json" },
    credentials: "same-origin",
  });
  return { ok: response.ok, data: await response.json() };
}

// -- the dinner page: type-ahead over the attendees, the slider's value, tick counts -------
function dinnerPage() {
  const list = document.getElementById("attendees");
  if (!list) return;
  const filter = document.getElementById("attendee-filter");
  const count = () => {
    document.getElementById("ticked").textContent =
      list.querySelectorAll("input:checked").length;
  };
  const fold = (s) => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  filter.addEventListener("input", () => {
    const wanted = fold(filter.value.trim());
    for (const item of list.children) {
      item.hidden = wanted !== "" && !fold(item.dataset.search).includes(wanted);
    }
  });
  // Enter in the filter ticks the only (or first) member shown, as a type-ahead would.
  filter.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const shown = [...list.children].filter((item) => !item.hidden);
    if (shown.length > 0) {
      shown[0].querySelector("input").checked = true;
      filter.value = "";
      filter.dispatchEvent(new Event("input"));
      count();
    }
  });
  list.addEventListener("change", count);
  const tick = (on) => () => {
    for (const box of list.querySelectorAll("li:not([hidden]) input")) box.checked = on;
    count();
  };
  document.getElementById("tick-all").addEventListener("click", tick(true));
  document.getElementById("tick-none").addEventListener("click", tick(false));
  const slider = document.getElementById("repeat_weight");
  const shown = document.getElementById("repeat_weight_value");
  slider.addEventListener("input", () => { shown.textContent = slider.value; });
  count();
}

// -- a running search: poll its progress, Cancel ------------------------------------------
function jobPage() {
  const box = document.getElementById("job");
  if (!box) return;
  const id = box.dataset.job;
  const bar = document.getElementById("job-progress");
  const stateText = document.getElementById("job-state");
  const result = document.getElementById("job-result");
  const cancel = document.getElementById("job-cancel") || document.createElement("button");
  cancel.addEventListener("click", async (event) => {
    event.preventDefault(); // the form posts without JavaScript; here the page keeps polling
    cancel.disabled = true;
    await post(`/jobs/${id}/cancel`, {});
  });
  const poll = async () => {
    const response = await fetch(`/jobs/${id}/status`, { headers: { Accept: "application/json" } });
    const job = await response.json();
    bar.value = job.progress;
    stateText.textContent = `${box.dataset[job.state] || job.state} · ${job.elapsed_s.toFixed(1)} s / ${job.time_limit_s} s`;
    if (job.state === "running") {
      setTimeout(poll, 300);
    } else if (job.state === "failed") {
      cancel.hidden = true;
      result.className = "message error";
      result.textContent = job.error;
    } else if (job.outcome.saved) {
      window.location = `/plan?date=${job.outcome.date}&msg=${job.outcome.message}`;
    } else {
      cancel.hidden = true;
      result.className = "message error";
      result.textContent = `${box.dataset.noPlan} (${job.outcome.status}): ${job.outcome.reason || ""}`;
    }
  };
  poll();
}

// -- the plan: drag a member to another table, or choose it; the rule check ---------------
function planPage() {
  const cards = document.getElementById("cards");
  if (!cards) return;
  const date = cards.dataset.date;
  const course = cards.dataset.course;
  const panel = document.getElementById("move-check");
  const text = document.getElementById("move-check-text");
  const broken = document.getElementById("move-check-broken");

  async function check(member, name, table) {
    const { ok, data } = await post("/plan/check", { date, member, table, course });
    broken.replaceChildren();
    panel.hidden = false;
    if (!ok) {
      text.textContent = data.detail;
      document.getElementById("move-form").hidden = true;
      return;
    }
    document.getElementById("move-form").hidden = false;
    document.getElementById("move-member").value = member;
    document.getElementById("move-table").value = table;
    if (data.ok) {
      text.textContent = say(panel.dataset.holds, { name, table });
    } else {
      text.textContent = say(panel.dataset.breaks, { name, table, count: data.broken.length });
      for (const line of data.broken) {
        const item = document.createElement("li");
        item.textContent = line; // text, never HTML: names are data
        broken.append(item);
      }
    }
    document.getElementById("move-confirm").focus();
  }

  let dragged = null;
  for (const seat of cards.querySelectorAll(".seat")) {
    seat.addEventListener("dragstart", (event) => {
      dragged = seat;
      event.dataTransfer.setData("text/plain", seat.dataset.member);
      event.dataTransfer.effectAllowed = "move";
    });
    seat.querySelector(".move-to").addEventListener("change", (event) => {
      if (event.target.value) check(seat.dataset.member, seat.dataset.name, event.target.value);
    });
  }
  for (const card of cards.querySelectorAll(".card")) {
    card.addEventListener("dragover", (event) => {
      event.preventDefault();
      card.classList.add("over");
    });
    card.addEventListener("dragleave", () => card.classList.remove("over"));
    card.addEventListener("drop", (event) => {
      event.preventDefault();
      card.classList.remove("over");
      if (dragged && dragged.closest(".card") !== card) {
        check(dragged.dataset.member, dragged.dataset.name, card.dataset.table);
      }
      dragged = null;
    });
  }
  document.getElementById("move-cancel").addEventListener("click", () => {
    panel.hidden = true;
    for (const select of cards.querySelectorAll(".move-to")) select.value = "";
  });
}

// Forms that delete something ask first (data-confirm holds the question).
function confirmations() {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  confirmations();
  dinnerPage();
  jobPage();
  planPage();
});
