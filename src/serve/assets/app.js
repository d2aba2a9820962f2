// The candidate page of `eligo serve`: a form for the profile contract, sent
// to the JSON API, and the answer shown in plain words. Every value is put
// in the page with textContent, never as HTML.
"use strict";

const STATES = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
  "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
  "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
  "WI", "WY", "PR", "GU", "VI", "AS", "MP"];

const DEGREES = [["high_school", "High school diploma"], ["associate", "Associate degree"],
  ["bachelor", "Bachelor's degree"], ["master", "Master's degree"], ["doctorate", "Doctorate"]];

// The fields of each list of the profile, in the order the form shows them.
const LISTS = {
  education: { noun: "Degree", fields: [
    { name: "degree", label: "Degree", type: "select", options: DEGREES },
    { name: "field", label: "Field of study", list: "list-field" },
    { name: "completed", label: "Completed on", type: "date" },
    { name: "expected", label: "Or expected on (still studying)", type: "date" },
    { name: "accreditation", label: "Programme accredited by", list: "list-accreditor" },
    { name: "country", label: "Country (if not US)" },
  ] },
  certifications: { noun: "Certification", fields: [
    { name: "issuer", label: "Issued by (e.g. ASCP, AMT, NHA)", list: "list-issuer" },
    { name: "name", label: "Certification (e.g. MLS, MLT, CPT)", list: "list-credential-name" },
    { name: "earned", label: "Earned on", type: "date" },
    { name: "expires", label: "Expires on", type: "date" },
    { name: "number", label: "Certificate number" },
  ] },
  licenses: { noun: "Licence", fields: [
    { name: "state", label: "State", type: "select", options: STATES.map((s) => [s, s]) },
    { name: "type", label: "Licence type (e.g. CLS, MLT, CPT1)" },
    { name: "issued", label: "Issued on", type: "date" },
    { name: "expires", label: "Expires on", type: "date" },
    { name: "number", label: "Licence number" },
  ] },
  experience: { noun: "Job", fields: [
    { name: "role", label: "Job title", list: "list-job" },
    { name: "area", label: "Laboratory area", list: "list-area" },
    { name: "setting", label: "Setting", list: "list-setting" },
    { name: "state", label: "State", type: "select", options: STATES.map((s) => [s, s]) },
    { name: "start", label: "Started on", type: "date" },
    { name: "end", label: "Ended on", type: "date" },
    { name: "current", label: "I still work here", type: "checkbox", virtual: true },
    { name: "hours_per_week", label: "Hours per week", type: "number", step: "0.5", min: "0", max: "168" },
    { name: "licensed", label: "I held the licence the state requires for this work", type: "checkbox" },
    { name: "tags", label: "Tags, comma-separated (e.g. high_complexity, supervisory)", type: "tags" },
  ] },
  training: { noun: "Programme", fields: [
    { name: "program", label: "Programme", list: "list-program" },
    { name: "completed", label: "Completed on", type: "date" },
    { name: "expected", label: "Or expected on", type: "date" },
    { name: "accreditation", label: "Accredited or approved by", list: "list-accreditor" },
    { name: "didactic_hours", label: "Classroom hours", type: "number", min: "0" },
    { name: "clinical_hours", label: "Clinical hours", type: "number", min: "0" },
    { name: "duration_weeks", label: "Length in weeks", type: "number", min: "0" },
    { name: "venipunctures", label: "Venipunctures performed", type: "number", step: "1", min: "0" },
    { name: "skin_punctures", label: "Skin punctures performed", type: "number", step: "1", min: "0" },
  ] },
  coursework: { noun: "Subject", fields: [
    { name: "subject", label: "Subject", list: "list-subject" },
    { name: "topic", label: "Topic (optional)", list: "list-topic" },
    { name: "semester_hours", label: "Semester hours", type: "number", step: "0.5", min: "0" },
    { name: "quarter_hours", label: "Or quarter hours", type: "number", step: "0.5", min: "0" },
  ] },
  continuing_education: { noun: "Course", fields: [
    { name: "hours", label: "Hours", type: "number", step: "0.5", min: "0" },
    { name: "completed", label: "Completed on", type: "date" },
    { name: "topic", label: "Topic (optional)", list: "list-topic" },
  ] },
};

// Fields of the loaded file that the form does not show (ids, positions,
// verification, employers) go back into the downloaded file unchanged.
let topExtra = {};
let rowCounter = 0;

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children || []) node.append(child);
  return node;
}

// A message as nodes: `code spans` (the renderer's quoting of names and
// values) become <code>, the rest plain text; nothing is parsed as HTML.
function prose(text) {
  return String(text).split("`").map((part, index) => (index % 2 ? el("code", { text: part }) : document.createTextNode(part)));
}

function fieldInput(field, id) {
  if (field.type === "select") {
    const select = el("select", { id, name: field.name });
    select.append(el("option", { value: "", text: "(choose)" }));
    for (const [value, label] of field.options) select.append(el("option", { value, text: label }));
    return select;
  }
  if (field.type === "checkbox") return el("input", { id, name: field.name, type: "checkbox" });
  const type = field.type === "date" || field.type === "number" ? field.type : "text";
  return el("input", { id, name: field.name, type, list: field.list, step: field.step, min: field.min,
    max: field.max, inputmode: field.type === "number" ? "decimal" : undefined });
}

function addRow(listName, values) {
  const spec = LISTS[listName];
  const fieldset = document.querySelector(`fieldset[data-list="${listName}"]`);
  const rows = fieldset.querySelector(".rows");
  const number = rows.children.length + 1;
  const row = el("div", { class: "row", role: "group", "aria-label": `${spec.noun} ${number}` });
  row.extra = {};
  const grid = el("div", { class: "grid" });
  for (const field of spec.fields) {
    const id = `f${++rowCounter}`;
    const input = fieldInput(field, id);
    const label = el("label", { for: id, class: field.type === "checkbox" ? "check" : undefined, text: field.label });
    grid.append(field.type === "checkbox" ? el("div", { class: "check" }, [input, label]) : el("div", {}, [label, input]));
  }
  row.append(grid);
  const remove = el("button", { type: "button", class: "remove", text: `Remove ${spec.noun.toLowerCase()} ${number}` });
  remove.addEventListener("click", () => {
    row.remove();
    fieldset.querySelector("button.add").focus();
  });
  row.append(remove);
  rows.append(row);
  const current = row.querySelector('input[name="current"]');
  const end = row.querySelector('input[name="end"]');
  if (current && end) current.addEventListener("change", () => { end.disabled = current.checked; });
  if (values) fillRow(listName, row, values);
  return row;
}

function fillRow(listName, row, values) {
  const shown = new Set(LISTS[listName].fields.map((f) => f.name));
  for (const [key, value] of Object.entries(values)) {
    if (!shown.has(key) && value !== null && !(Array.isArray(value) && value.length === 0)) row.extra[key] = value;
  }
  for (const field of LISTS[listName].fields) {
    const input = row.querySelector(`[name="${field.name}"]`);
    const value = values[field.name];
    if (field.name === "current") {
      input.checked = listName === "experience" && values.start && !values.end;
      const end = row.querySelector('input[name="end"]');
      if (end) end.disabled = input.checked;
    } else if (field.type === "checkbox") input.checked = value === true;
    else if (field.type === "tags") input.value = (value || []).join(", ");
    else if (value !== undefined && value !== null) input.value = String(value);
  }
}

function readRow(listName, row) {
  const out = Object.assign({}, row.extra);
  for (const field of LISTS[listName].fields) {
    if (field.virtual) continue;
    const input = row.querySelector(`[name="${field.name}"]`);
    if (field.type === "checkbox") {
      if (input.checked) out[field.name] = true;
      continue;
    }
    if (input.disabled) continue;
    const text = input.value.trim();
    if (text === "") continue;
    if (field.type === "number") out[field.name] = Number(text);
    else if (field.type === "tags") out[field.name] = text.split(",").map((t) => t.trim()).filter(Boolean);
    else out[field.name] = text;
  }
  return out;
}

function readProfile() {
  const profile = Object.assign({}, topExtra);
  for (const name of ["name", "state", "birth_date"]) {
    const value = document.getElementById(`top-${name}`).value.trim();
    if (value) profile[name] = value; else delete profile[name];
  }
  for (const listName of Object.keys(LISTS)) {
    const rows = document.querySelectorAll(`fieldset[data-list="${listName}"] .row`);
    const items = Array.from(rows).map((row) => readRow(listName, row)).filter((item) => Object.keys(item).length > 0);
    if (items.length) profile[listName] = items; else delete profile[listName];
  }
  return profile;
}

function fillForm(profile) {
  topExtra = {};
  for (const [key, value] of Object.entries(profile)) {
    if (!(key in LISTS) && !["name", "state", "birth_date"].includes(key) && value !== null
      && !(Array.isArray(value) && value.length === 0)) topExtra[key] = value;
  }
  for (const name of ["name", "state", "birth_date"]) document.getElementById(`top-${name}`).value = profile[name] || "";
  for (const listName of Object.keys(LISTS)) {
    document.querySelector(`fieldset[data-list="${listName}"] .rows`).replaceChildren();
    for (const item of profile[listName] || []) addRow(listName, item);
  }
}

function diagnosticsList(error) {
  const list = el("ul", { class: "diagnostics" });
  for (const d of error.diagnostics && error.diagnostics.length ? error.diagnostics : [{ message: error.message }]) {
    const where = d.start ? ` (line ${d.start.line}, column ${d.start.column})` : "";
    const item = el("li", {}, [...prose(d.message), where]);
    if (d.help) item.append(el("div", { class: "help" }, prose(d.help)));
    list.append(item);
  }
  return list;
}

async function loadFile(file) {
  const status = document.getElementById("file-status");
  status.replaceChildren(el("p", { text: `Reading ${file.name}…` }));
  const text = await file.text();
  const toml = /\.toml$/i.test(file.name);
  const response = await fetch("/v1/profile", { method: "POST", body: text,
    headers: { "Content-Type": toml ? "application/toml" : "application/json" } });
  const answer = await response.json();
  if (!response.ok) {
    status.replaceChildren(el("p", { class: "bad", text: `${file.name} could not be read:` }), diagnosticsList(answer.error));
    return;
  }
  fillForm(answer.profile);
  const done = [el("p", { text: `Loaded ${file.name}.` })];
  if (answer.warnings.length) {
    done.push(el("p", { text: "Some values are not ones the rules know:" }), diagnosticsList({ diagnostics: answer.warnings }));
  }
  status.replaceChildren(...done);
}

function download() {
  const profile = readProfile();
  const blob = new Blob([JSON.stringify(profile, null, 2) + "\n"], { type: "application/json" });
  const link = el("a", { href: URL.createObjectURL(blob), download: `${(profile.id || profile.name || "profile").replace(/[^A-Za-z0-9_-]+/g, "-")}.json` });
  document.body.append(link);
  link.click();
  link.remove();
}

// Text with the addresses in it turned into links.
function linked(text) {
  const out = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s)"]+/g)) {
    out.append(text.slice(last, match.index));
    out.append(el("a", { href: match[0], rel: "noreferrer", text: match[0] }));
    last = match.index + match[0].length;
  }
  out.append(text.slice(last));
  return out;
}

function explainer(role) {
  const details = el("details", {}, [el("summary", { text: `What ${role.title} requires, and the sources` })]);
  details.addEventListener("toggle", async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = "1";
    const response = await fetch(`/v1/roles/${encodeURIComponent(role.role)}?format=text`);
    const text = await response.text();
    details.append(el("pre", {}, [linked(text)]));
  });
  return details;
}

function roleCard(role) {
  const card = el("article", { class: `role ${role.verdict}` });
  card.append(el("h4", { text: `${role.title} (${role.role})` }));
  if (role.verdict === "eligible") {
    if (role.route) card.append(el("p", { text: `Eligible by route ${role.route}.` }));
    const evidence = (role.evidence || []).map((e) => el("li", {}, [...prose(e.need), ": ", ...prose(e.summary)]));
    if (evidence.length) card.append(el("p", { text: "Met by:" }), el("ul", {}, evidence));
    const p = role.projection;
    if (p && p.stops_on) {
      const why = p.unmet && p.unmet[0] ? ["; then it ", ...prose(p.unmet[0].message)] : [];
      card.append(el("p", { class: "when" }, [`If nothing changes but time, you stop qualifying on ${p.stops_on}`, ...why, "."]));
    }
  } else {
    if (role.route) card.append(el("p", { text: `Closest: route ${role.route}.` }));
    const missing = (role.unmet || []).map((u) => el("li", {}, prose(u.message)));
    if (missing.length) card.append(el("p", { text: role.verdict === "undetermined" ? "Cannot tell yet:" : "What is missing:" }), el("ul", {}, missing));
    const p = role.projection;
    if (p && p.eligible_on) {
      card.append(el("p", { class: "when", text: `If nothing changes but time (your current jobs continue), you become eligible on ${p.eligible_on}${p.route ? ` by route ${p.route}` : ""}.` }));
    }
  }
  card.append(explainer(role));
  return card;
}

async function check(event) {
  event.preventDefault();
  const body = document.getElementById("results-body");
  const button = document.getElementById("check");
  const params = new URLSearchParams();
  const asOf = document.getElementById("as-of").value;
  if (asOf) params.set("as_of", asOf);
  button.disabled = true;
  body.replaceChildren(el("p", { text: "Checking…" }));
  try {
    const response = await fetch(`/v1/check?${params}`, { method: "POST", body: JSON.stringify(readProfile()),
      headers: { "Content-Type": "application/json" } });
    const answer = await response.json();
    if (!response.ok) {
      body.replaceChildren(el("p", { class: "bad", text: "The form has a problem:" }), diagnosticsList(answer.error));
      return;
    }
    const result = answer.profiles[0];
    const eligible = result.roles.filter((r) => r.verdict === "eligible");
    const others = result.roles.filter((r) => r.verdict !== "eligible").sort((a, b) => a.distance - b.distance);
    const who = document.getElementById("top-name").value.trim();
    const parts = [el("p", { text: `${who ? `${who}: a` : "A"}s of ${answer.as_of}${result.state ? `, for work in ${result.state}` : ""}: eligible for ${eligible.length} of ${result.roles.length} roles.` })];
    parts.push(el("h3", { text: `Eligible (${eligible.length})` }));
    parts.push(eligible.length ? el("div", { class: "cards" }, eligible.map(roleCard)) : el("p", { text: "None yet." }));
    parts.push(el("h3", { text: `Not yet, nearest first (${others.length})` }));
    parts.push(el("div", { class: "cards" }, others.map(roleCard)));
    body.replaceChildren(...parts);
    document.getElementById("results").focus();
  } catch (error) {
    body.replaceChildren(el("p", { class: "bad", text: `The server could not be reached: ${error}` }));
  } finally {
    button.disabled = false;
  }
}

async function suggestions() {
  const response = await fetch("/v1/vocabulary");
  if (!response.ok) return;
  const vocabulary = await response.json();
  const fill = (id, values) => {
    const list = document.getElementById(id);
    if (list) list.replaceChildren(...[...new Set(values)].sort().map((value) => el("option", { value })));
  };
  for (const [kind, entry] of Object.entries(vocabulary)) fill(`list-${kind}`, entry.terms.map((t) => t.term));
  const credentials = (vocabulary.credential || { terms: [] }).terms.map((t) => t.term);
  const issuers = [], names = [];
  for (const credential of credentials) {
    const [issuer, ...rest] = credential.split(" ");
    issuers.push(issuer);
    if (rest.length) names.push(rest.join(" "));
  }
  document.body.append(el("datalist", { id: "list-issuer" }), el("datalist", { id: "list-credential-name" }));
  fill("list-issuer", issuers);
  fill("list-credential-name", names);
}

document.addEventListener("DOMContentLoaded", () => {
  const state = document.getElementById("top-state");
  for (const code of STATES) state.append(el("option", { value: code, text: code }));
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  document.getElementById("as-of").value = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  for (const fieldset of document.querySelectorAll("fieldset[data-list]")) {
    fieldset.querySelector("button.add").addEventListener("click", () => {
      const row = addRow(fieldset.dataset.list);
      const first = row.querySelector("input, select");
      if (first) first.focus();
    });
  }
  document.getElementById("profile-file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (file) loadFile(file);
  });
  document.getElementById("download").addEventListener("click", download);
  const form = document.getElementById("profile-form");
  // The guided form needs this script: it is hidden until the script runs.
  form.hidden = false;
  document.getElementById("results").hidden = false;
  document.getElementById("skip-to-results").hidden = false;
  form.addEventListener("submit", check);
  suggestions();
});
