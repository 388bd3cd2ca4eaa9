// The widget's own words, in the viewer's browser language (Dashboard 2's client has no i18n of
// its own): Chinese for any zh-* language, English otherwise. Labels of properties, actions and
// events are the product's, from its data template.
import enUS from './locales/en-US.json';
import zhCN from './locales/zh-CN.json';

export type Lang = 'en-US' | 'zh-CN';
export type TextKey = keyof typeof enUS;

const CATALOGUES: Record<Lang, Record<TextKey, string>> = { 'en-US': enUS, 'zh-CN': zhCN };

/** The catalogue for the browser's preferred languages. */
export function browserLang(languages: readonly string[]): Lang {
  for (const lang of languages) {
    const lower = lang.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en-US';
  }
  return 'en-US';
}

/** A text with its `__name__` parameters filled in. */
export function translate(lang: Lang, key: TextKey, params: Record<string, string> = {}): string {
  const template = CATALOGUES[lang][key] ?? CATALOGUES['en-US'][key] ?? key;
  return template.replace(/__(\w+)__/g, (whole, name: string) => params[name] ?? whole);
}
