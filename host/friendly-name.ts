import { randomInt } from 'node:crypto';

const ADJECTIVES = [
  'autumn', 'hidden', 'bitter', 'misty', 'silent', 'empty', 'dry', 'dark', 'summer', 'icy', 'delicate', 'quiet',
  'white', 'cool', 'spring', 'winter', 'patient', 'twilight', 'dawn', 'crimson', 'wispy', 'weathered', 'blue',
  'billowing', 'broken', 'cold', 'damp', 'falling', 'frosty', 'green', 'long', 'late', 'lingering', 'bold',
  'little', 'morning', 'muddy', 'old', 'red', 'rough', 'still', 'small', 'sparkling', 'shy', 'wandering',
  'withered', 'wild', 'black', 'young', 'holy', 'solitary', 'fragrant', 'aged', 'snowy', 'proud', 'floral',
  'restless', 'divine', 'polished', 'ancient', 'purple', 'lively', 'nameless', 'lucky', 'odd', 'tiny',
];
const NOUNS = [
  'waterfall', 'river', 'breeze', 'moon', 'rain', 'wind', 'sea', 'morning', 'snow', 'lake', 'sunset', 'pine',
  'shadow', 'leaf', 'dawn', 'glitter', 'forest', 'hill', 'cloud', 'meadow', 'sun', 'glade', 'bird', 'brook',
  'butterfly', 'bush', 'dew', 'dust', 'field', 'fire', 'flower', 'firefly', 'feather', 'grass', 'haze',
  'mountain', 'night', 'pond', 'darkness', 'snowflake', 'silence', 'sound', 'sky', 'shape', 'surf', 'thunder',
  'violet', 'water', 'wildflower', 'wave', 'resonance', 'wood', 'dream', 'cherry', 'tree', 'fog', 'frost',
  'voice', 'paper', 'frog', 'smoke', 'star', 'loom', 'thread', 'shuttle', 'spindle',
];

/** A random `adjective-noun-NNNN` name, regenerated at every start (as wasmCloud's hosts do). */
export function generateFriendlyName(): string {
  const a = ADJECTIVES[randomInt(ADJECTIVES.length)] ?? 'quiet';
  const n = NOUNS[randomInt(NOUNS.length)] ?? 'loom';
  return `${a}-${n}-${String(randomInt(10_000)).padStart(4, '0')}`;
}
