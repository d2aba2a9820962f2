// A candidate's story on the page of `eligo serve`, in headless Chromium:
// a phlebotomist who wants to work in California fills the form; then the
// experienced MLT's profile file is loaded through the file input. Run by
// tests/serve.rs with ELIGO_URL (the server), CHROMIUM (the browser),
// ELIGO_ROOT (the repository) and ARTIFACTS (where screenshots go).
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import path from "node:path";

const url = process.env.ELIGO_URL;
const root = process.env.ELIGO_ROOT;
const artifacts = process.env.ARTIFACTS;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
const errors = [];
page.on("pageerror", (error) => errors.push(String(error)));
// No request may leave the server: no fonts, CDNs or other outside assets.
const outside = [];
page.on("request", (request) => {
  if (!request.url().startsWith(url) && !request.url().startsWith("blob:") && !request.url().startsWith("data:")) {
    outside.push(request.url());
  }
});

async function fillRow(list, values) {
  const fieldset = page.locator(`fieldset[data-list="${list}"]`);
  await fieldset.locator("button.add").click();
  const row = fieldset.locator(".row").last();
  for (const [name, value] of Object.entries(values)) {
    const input = row.locator(`[name="${name}"]`);
    if (value === true) await input.check();
    else if ((await input.evaluate((e) => e.tagName)) === "SELECT") await input.selectOption(value);
    else await input.fill(String(value));
  }
}

async function card(roleId) {
  // The card whose heading ends with the id (other cards may name the role).
  const heading = page.locator("h4", { hasText: new RegExp(`\\(${roleId.replace(/-/g, "\\-")}\\)$`) });
  const card = page.locator("#results-body article").filter({ has: heading }).first();
  await card.waitFor();
  return card.innerText();
}

// 1. The page: landmarks, and a label for every input.
await page.goto(url);
assert.equal(await page.title(), "eligo: which clinical laboratory roles am I eligible for?");
for (const landmark of ["header", "main", "footer"]) {
  assert.equal(await page.locator(landmark).count(), 1, `one <${landmark}>`);
}

// 2. A phlebotomist moving from Texas to California, typed in by hand.
await page.fill("#top-name", "Maya <script>window.pwned = 1</script> Ortiz");
await page.selectOption("#top-state", "CA");
await page.fill("#as-of", "2026-11-21");
await fillRow("education", { degree: "high_school", completed: "2019-06-01" });
await fillRow("certifications", { issuer: "NHA", name: "CPT", earned: "2025-03-01", expires: "2027-03-01" });
await fillRow("experience", {
  role: "phlebotomist", area: "phlebotomy", setting: "clinic", state: "TX",
  start: "2025-04-01", current: true, hours_per_week: 32,
});
await fillRow("training", {
  program: "phlebotomy", completed: "2025-02-01", accreditation: "NHA",
  didactic_hours: 40, clinical_hours: 40, venipunctures: 60, skin_punctures: 12,
});
const unlabelled = await page.evaluate(() =>
  Array.from(document.querySelectorAll("#profile-form input, #profile-form select"))
    .filter((input) => input.labels.length === 0).map((input) => input.name));
assert.deepEqual(unlabelled, [], "every input has a label");

// Keyboard only: focus the submit button with Tab from the last field, press Enter.
await page.focus('fieldset[data-list="continuing_education"] button.add');
await page.keyboard.press("Tab");
assert.equal(await page.evaluate(() => document.activeElement.id), "check");
await page.keyboard.press("Enter");
const cpt1 = await card("ca-cpt1");
assert.match(cpt1, /California Certified Phlebotomy Technician I \(CPT I\) certificate/);
assert.match(cpt1, /What is missing/);
assert.match(cpt1, /CDPH/, `the CA CPT I card names the CDPH-approved training:\n${cpt1}`);
// Names the renderer quotes in backticks are shown as code, not as backticks.
const phlebotomist = await card("phlebotomist");
assert.doesNotMatch(phlebotomist, /`/, `no raw backticks on a card:\n${phlebotomist}`);
const quoted = await page
  .locator("#results-body article")
  .filter({ has: page.locator("h4", { hasText: /\(phlebotomist\)$/ }) })
  .locator("li code")
  .allInnerTexts();
assert.ok(quoted.includes("eligo explain ca-cpt1"), `the command is shown as code: ${quoted}`);
const summary = await page.locator("#results-body > p").first().innerText();
assert.match(summary, /for work in CA/);
// The name is shown as typed, never run.
assert.match(summary, /Maya <script>window\.pwned = 1<\/script> Ortiz/);
assert.equal(await page.evaluate(() => window.pwned), undefined);
assert.equal(await page.locator("#results-body script").count(), 0);
// The role's requirements, with links to the sources, on request.
await page.locator("#results-body article", { hasText: "(ca-cpt1)" }).locator("summary").click();
await page.locator("#results-body article", { hasText: "(ca-cpt1)" }).locator("pre a").first().waitFor();
await page.screenshot({ path: path.join(artifacts, "candidate-phlebotomist.png"), fullPage: false });

// 3. The experienced MLT's profile file, through the file input.
await page.goto(url);
await page.setInputFiles("#profile-file", path.join(root, "examples/profiles/experienced-mlt.json"));
await page.locator("#file-status", { hasText: "Loaded experienced-mlt.json" }).waitFor();
assert.equal(await page.inputValue("#top-state"), "CA");
assert.equal(await page.locator('fieldset[data-list="experience"] .row').count(), 2);
await page.fill("#as-of", "2026-11-21");
await page.click("#check");
const mls = await card("mls");
assert.match(mls, /Medical Laboratory Scientist \(job\)/);
assert.match(mls, /needs a CA CLS licence/);
const ascpMls = await card("ascp-mls");
assert.match(ascpMls, /Closest: route 2/);
await page.screenshot({ path: path.join(artifacts, "candidate-mlt.png"), fullPage: false });

// Downloading the form gives back the same profile (a file the CLI reads).
const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
const saved = path.join(artifacts, "downloaded-profile.json");
await download.saveAs(saved);

// 4. On a phone: nothing wider than the screen.
await page.setViewportSize({ width: 390, height: 844 });
const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
await page.screenshot({ path: path.join(artifacts, "candidate-phone.png") });

assert.deepEqual(errors, [], "no script errors");
assert.deepEqual(outside, [], "no request outside the server");

// 5. Without JavaScript: the plain form posts a profile file's text and the
// answer is a page with what `eligo check` prints.
const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 1400 } });
const noScript = await plain.newPage();
await noScript.goto(url);
assert.equal(await noScript.locator("#profile-form").isVisible(), false, "the guided form needs the script");
assert.equal(await noScript.locator("#plain-profile").isVisible(), true, "the plain form is shown");
const { readFile } = await import("node:fs/promises");
const phlebotomistFile = await readFile(path.join(root, "examples/profiles/phlebotomist-moving-to-california.json"), "utf8");
await noScript.fill("#plain-profile", phlebotomistFile);
await noScript.fill("#plain-state", "CA");
await noScript.fill("#plain-as-of", "2026-11-21");
await Promise.all([noScript.waitForNavigation(), noScript.click("form[action='/check'] button[type=submit]")]);
assert.equal(await noScript.title(), "Your results: eligo");
const report = await noScript.locator("pre.check").innerText();
assert.match(report, /CPT I/, report);
assert.match(report, /state CA/, report);
await noScript.screenshot({ path: path.join(artifacts, "candidate-no-javascript.png") });
await plain.close();
await browser.close();
console.log(`ok: ${saved}`);
