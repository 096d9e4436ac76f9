// Counts and articles in messages, for every layer: "1 object", "2 objects", "an UPDATE", "a number".

export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : many}`;
}

/** The word with "a" or "an" before it, by its first letter ("an integer", "an UPDATE", "a string"). */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}
