// kong/tools/uri.lua normalize, which Kong applies to request paths before routing and to plain route paths when
// it validates them (typedefs.router_path: "non-normalized path").

// RFC 3986 reserved characters plus `%`: their triplets stay encoded (upper-cased); everything else is
// decoded (kong/tools/uri.lua RESERVED_CHARS and `normalize_decode`).
const RESERVED = new Set([..."!*'();:@&=+$,/?%#[]"].map((c) => c.charCodeAt(0)));

/** `kong.tools.uri.normalize(path, true)`: decode, remove dot segments, merge slashes. */
export function normalisePath(path: string): string {
  if (path === '' || path === '/') return path;
  let uri = path;
  if (uri.includes('%')) {
    const bytes: number[] = [];
    for (let i = 0; i < uri.length; i++) {
      const triplet = /^%([0-9A-Fa-f]{2})/.exec(uri.slice(i, i + 3));
      if (triplet) {
        const code = parseInt(triplet[1]!, 16);
        if (RESERVED.has(code)) bytes.push(...Buffer.from(`%${triplet[1]!.toUpperCase()}`, 'latin1'));
        else bytes.push(code);
        i += 2;
      } else bytes.push(...Buffer.from(uri[i]!, 'utf8'));
    }
    // Kong decodes to raw bytes; the ATC context holds the path as a (Rust) string. Invalid UTF-8 is
    // replaced here, which only matters for regexes that look at those bytes.
    uri = Buffer.from(bytes).toString('utf8');
  }
  if (!uri.includes('.') && !uri.includes('//')) return uri;
  const output: string[] = [];
  while (uri.length > 0) {
    if (uri === '/.') uri = '/';
    else if (uri === '/..') {
      uri = '/';
      output.pop();
    } else if (uri === '.' || uri === '..') uri = '';
    else if (uri.startsWith('../')) uri = uri.slice(3);
    else if (uri.startsWith('./')) uri = uri.slice(2);
    else if (uri.startsWith('/./')) uri = uri.slice(2);
    else if (uri.startsWith('/../')) {
      uri = uri.slice(3);
      output.pop();
    } else if (uri.startsWith('//')) uri = uri.slice(1);
    else {
      const slash = uri.indexOf('/', 1);
      output.push(slash < 0 ? uri : uri.slice(0, slash));
      uri = slash < 0 ? '' : uri.slice(slash);
    }
  }
  return output.join('');
}
