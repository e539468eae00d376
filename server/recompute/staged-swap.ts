/**
 * Lua that swaps hashes a full recompute staged in for the live ones, all
 * or nothing, as the start of a script. KEYS[1..count]: the live keys;
 * KEYS[count+1..2count]: their staging; ARGV[1..count]: '1' for each key
 * that was staged. A staged key gone (another process removed it) refuses
 * the script before anything is touched, with an error ending in `kept`; a
 * key not staged is emptied. UNLINK before RENAME: RENAME over a large
 * hash (100,000 accounts, a million deals) would free it on Redis's one
 * thread, stalling every portal's work; UNLINK frees it in the background.
 * The rest of the script reads KEYS and ARGV from `count * 2 + 1` and
 * `count + 1` on.
 */
export function swapStagedLua(count: number, kept: string): string {
  return `
local staged = ${count}
for i = 1, staged do
  if ARGV[i] == '1' and redis.call('exists', KEYS[staged + i]) == 0 then
    return redis.error_reply('ERR the staged ' .. KEYS[staged + i] .. ' is gone; ${kept}')
  end
end
for i = 1, staged do
  redis.call('unlink', KEYS[i])
  if ARGV[i] == '1' then redis.call('rename', KEYS[staged + i], KEYS[i]) end
end`;
}
