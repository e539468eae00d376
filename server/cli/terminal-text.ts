import { stripVTControlCharacters } from 'node:util';

/**
 * A value from the portal made safe to print on a terminal: escape
 * sequences (window title, clear screen, OSC 52 clipboard writes) and every
 * other C0/C1 control character removed, so a company name is only ever
 * text. Apply it before colouring: our own colours are escape sequences too.
 *
 * @example
 * terminalText('\u001b]0;pwned\u0007Acme\u001b[2J\r') // => 'Acme'
 */
export function terminalText(value: string): string {
  return stripVTControlCharacters(value).replace(/\p{Cc}/gu, '');
}
