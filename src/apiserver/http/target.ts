// The path and query of a request target ("/api/v1/namespaces/x/pods?fieldManager=y"), as
// `new URL(target, base)` gives them. Every request needs them; a URL object costs more than the
// rest of routing, so plain targets (all the clients' own) are split by hand and anything
// unusual (percent-encoded paths, dot segments, fragments, non-ASCII) still goes through URL.

/** Named as URL names them, so callers can switch without other changes. */
export interface RequestTarget {
  pathname: string;
  searchParams: URLSearchParams;
}

/**
 * Targets URL would hand back unchanged: an absolute path of characters it never re-encodes,
 * no "//" authority, and a query without characters its serialiser would escape (nor a second
 * "?", which URLSearchParams would strip).
 */
const plainTarget = /^\/(?!\/)[A-Za-z0-9\-._~/:@!$&()*+,;=]*(?:\?[A-Za-z0-9\-._~%!$&()*+,;=:@/]*)?$/;
/** "." and ".." segments are resolved by URL; targets with them take the slow path. */
const dotSegment = /(?:^|\/)\.{1,2}(?:\/|\?|$)/;

export function parseTarget(target: string): RequestTarget {
  if (plainTarget.test(target) && !dotSegment.test(target)) {
    const mark = target.indexOf('?');
    if (mark < 0) return { pathname: target, searchParams: new URLSearchParams() };
    return { pathname: target.slice(0, mark), searchParams: new URLSearchParams(target.slice(mark + 1)) };
  }
  return new URL(target, 'https://k8ts');
}
