// Rubric tags as the workbench shows them. Pure: no DOM, unit-tested as is.
import type { RubricTag } from '../api';

/** The tag's label in the page's language, else the other one, else its id. */
export function tagLabel(tag: RubricTag, language: 'en' | 'zh-CN'): string {
  const en = tag.label?.en || null;
  const zh = tag.label?.zh || null;
  return (language === 'zh-CN' ? zh ?? en : en ?? zh) ?? tag.id ?? '';
}
