// Location commands (location admin API): aliases and the user location table ("ul", the
// registered contacts of each AOR, RFC 3261 §10).

import type { Aor } from "@switchboard/contracts";
import type { AorContacts } from "./admin-client.js";
import { formatAddress, parseAorArgument } from "./args.js";
import { type CommandContext, explaining } from "./command-context.js";
import { formatTable, orDash } from "./format.js";

/** `user`, `user@domain` or a `sip:` URI. */
function aorArgument(context: CommandContext, index: number): Aor {
  return parseAorArgument(context.args[index] ?? "", context.settings.defaultDomain);
}

/** `sbctl alias add <alias[@domain]> <target[@domain]>` */
export async function addAlias(context: CommandContext): Promise<void> {
  const alias = aorArgument(context, 0);
  const target = aorArgument(context, 1);
  await explaining(context.location.createAlias({ alias, target }), {
    conflict: `alias ${formatAddress(alias)} already exists`,
  });
  context.print(
    { alias, target },
    () => `added alias ${formatAddress(alias)} -> ${formatAddress(target)}\n`,
  );
}

/** `sbctl alias rm <alias[@domain]>` */
export async function removeAlias(context: CommandContext): Promise<void> {
  const alias = aorArgument(context, 0);
  await explaining(context.location.deleteAlias(alias), {
    notFound: `alias ${formatAddress(alias)} does not exist`,
  });
  context.print({ alias }, () => `removed alias ${formatAddress(alias)}\n`);
}

/** `sbctl alias list` */
export async function listAliases(context: CommandContext): Promise<void> {
  const aliases = await context.location.listAliases();
  context.print({ aliases }, () =>
    aliases.length === 0
      ? "no aliases\n"
      : formatTable(
          ["ALIAS", "TARGET"],
          aliases.map(({ alias, target }) => [formatAddress(alias), formatAddress(target)]),
        ),
  );
}

function contactsTable(aor: AorContacts): string {
  return formatTable(
    ["URI", "EXPIRES", "Q", "RECEIVED", "USER-AGENT"],
    aor.contacts.map((contact) => [
      contact.uri,
      `${contact.expires}s`,
      orDash(contact.q),
      orDash(contact.received),
      orDash(contact.userAgent),
    ]),
  );
}

function noContacts(aor: Aor): string {
  return `${formatAddress(aor)} has no registered contacts`;
}

/** `sbctl ul show [AOR]`: every AOR with its contact count, or one AOR's contacts. */
export async function showLocations(context: CommandContext): Promise<void> {
  if (context.args[0] === undefined) {
    const aors = await context.location.listAors();
    context.print({ aors }, () =>
      aors.length === 0
        ? "no registered contacts\n"
        : formatTable(
            ["AOR", "CONTACTS"],
            aors.map((aor) => [formatAddress(aor), String(aor.contacts)]),
          ),
    );
    return;
  }
  const aor = aorArgument(context, 0);
  const found = await explaining(context.location.getAor(aor), { notFound: noContacts(aor) });
  context.print(found, () => contactsTable(found));
}

/** `sbctl ul rm <AOR>`: removes every binding of the AOR. */
export async function removeLocations(context: CommandContext): Promise<void> {
  const aor = aorArgument(context, 0);
  await explaining(context.location.deleteAor(aor), { notFound: noContacts(aor) });
  context.print(
    { username: aor.username, domain: aor.domain },
    () => `removed every contact of ${formatAddress(aor)}\n`,
  );
}
