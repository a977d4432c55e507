// What the page needs from Telegram, without Telegram's script (published without a licence, so not served
// from here): the signed init data and the theme from the address Telegram opens, and the "ready" event.
const fragment = new URLSearchParams(window.location.hash.slice(1));

export const initData = fragment.get("tgWebAppData") || "";

function postEvent(eventType, eventData = {}) {
  const payload = JSON.stringify({ eventType, eventData });
  if (window.TelegramWebviewProxy) {
    window.TelegramWebviewProxy.postEvent(eventType, JSON.stringify(eventData));
  } else if (window.external && "notify" in window.external) {
    window.external.notify(payload);
  } else if (window.parent !== window) {
    window.parent.postMessage(payload, "https://web.telegram.org");
  }
}

export function applyTheme() {
  let theme = {};
  try {
    theme = JSON.parse(fragment.get("tgWebAppThemeParams") || "{}");
  } catch {
    theme = {};
  }
  const root = document.documentElement.style;
  for (const [name, value] of Object.entries(theme)) {
    if (/^#[0-9a-fA-F]{3,8}$/.test(String(value))) {
      root.setProperty(`--tg-theme-${name.replaceAll("_", "-")}`, value);
    }
  }
  if (theme.bg_color) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(theme.bg_color.slice(i, i + 2), 16));
    document.documentElement.dataset.scheme = 0.299 * r + 0.587 * g + 0.114 * b < 128 ? "dark" : "light";
  }
}

export function ready() {
  postEvent("web_app_ready");
  postEvent("web_app_expand");
}

let strings = {};
let plurals = new Intl.PluralRules();
let french = false;

// The catalogue's messages, the locale whose plural rules they follow (CLDR's, as the bot's babel) and
// whether they are French (whose "de" elides before a vowel, as the bot's i18n does).
export function setStrings(found, pluralLocale, language) {
  strings = found;
  plurals = new Intl.PluralRules(pluralLocale);
  french = language === "fr";
}

const ELIDING = /^[aeiouyhàâäéèêëîïôöùûüœæ]/i;
const BEFORE_VALUE = /(^|[^\p{L}'’])([Dd]e|[Qq]ue|[Jj]usque) \{(\w+)\}/gu;

// A message of the catalogues served by the bot, with its {placeholders} filled; a message with plural
// forms takes the one its language gives `count` ("1 fiche", "2 fiches"); in French "de Anne" reads "d'Anne".
export function t(key, params = {}) {
  const found = strings[key] ?? key;
  let text = typeof found === "string" ? found : found[plurals.select(params.count)] ?? found.other;
  if (french) {
    text = text.replace(BEFORE_VALUE, (whole, before, word, name) =>
      name in params && ELIDING.test(String(params[name])) ? `${before}${word.slice(0, -1)}'{${name}}` : whole);
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || body.error || String(status));
    this.status = status;
    this.body = body;
  }
}

// Every call carries the signed init data; the server checks it and the caller's role each time.
export async function api(path, { method = "GET", body } = {}) {
  const response = await fetch(`api/${path}`, {
    method,
    headers: { Authorization: `tma ${initData}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const found = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, found);
  }
  return found;
}

// Elements built with text only: nothing the server sends is ever read as HTML.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

export function announce(text) {
  const live = document.getElementById("status");
  if (live) live.textContent = text;
}
