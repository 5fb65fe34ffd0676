import { describe, expect, it } from 'vitest';
import { tagLabel } from './rubric';

describe('tagLabel', () => {
  const both = { id: 'more-cautious', label: { en: 'more cautious', zh: '更谨慎' } };

  it('shows the label of the page language', () => {
    expect(tagLabel(both, 'en')).toBe('more cautious');
    expect(tagLabel(both, 'zh-CN')).toBe('更谨慎');
  });

  it('falls back to the other language, then to the id', () => {
    expect(tagLabel({ id: 'too-long', label: { en: 'too long' } }, 'zh-CN')).toBe('too long');
    expect(tagLabel({ id: 'tag', label: { zh: '啰嗦', en: null } }, 'en')).toBe('啰嗦');
    expect(tagLabel({ id: 'odd', label: { en: '', zh: null } }, 'en')).toBe('odd');
  });
});
