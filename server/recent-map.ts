/**
 * Puts `key` in `map` as its most recently used entry, and drops the least
 * recently used one when the map holds more than `max`: a Map keeps its
 * insertion order, so the first key is the one used longest ago.
 */
export function setRecent<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size <= max) return;
  const oldest = map.keys().next();
  if (oldest.done !== true) map.delete(oldest.value);
}
