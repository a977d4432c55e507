// Starting a page: theme, the caller and their language's strings, the static labels translated.
import { api, applyTheme, announce, ready, setStrings, t } from "./telegram.js";

export async function start() {
  applyTheme();
  ready();
  const me = await api("me");
  setStrings(me.strings, me.plural_locale, me.language);
  document.documentElement.lang = me.language;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const node of document.querySelectorAll("[data-t-label]")) node.setAttribute("aria-label", t(node.dataset.tLabel));
  document.title = t("webapp.page_title");
  return me;
}

export function failed(error) {
  announce(error.message || String(error));
  document.getElementById("status")?.classList.add("error");
}

export function dayLabel(iso, language) {
  return new Date(`${iso}T12:00:00`).toLocaleDateString(language, { weekday: "long", day: "numeric", month: "long" });
}

export function whenLeafletReady() {
  return new Promise((resolve) => {
    if (window.L) resolve();
    else window.addEventListener("load", () => resolve(), { once: true });
  });
}
