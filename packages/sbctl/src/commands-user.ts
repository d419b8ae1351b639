// Subscriber commands (auth admin API): add, rm, passwd, list, show.

import type { Aor } from "@switchboard/contracts";
import type { Subscriber } from "./admin-client.js";
import { formatAddress, parseUserAddress } from "./args.js";
import { type CommandContext, explaining } from "./command-context.js";
import { formatFields, formatTable, orDash } from "./format.js";

function userArgument(context: CommandContext, index: number): Aor {
  return parseUserAddress(context.args[index] ?? "", context.settings.defaultDomain);
}

function addressJson(aor: Aor): Aor {
  return { username: aor.username, domain: aor.domain };
}

async function createUser(
  context: CommandContext,
  user: Aor,
  password: string,
  email: string | undefined,
): Promise<void> {
  const created = await explaining(context.auth.createSubscriber({ ...user, password, email }), {
    conflict: `user ${formatAddress(user)} already exists`,
  });
  context.print(created, () => `created user ${formatAddress(created)}\n`);
}

/** `sbctl add <user> <password> <email>`, as serctl's `add`. */
export async function addSerctlStyle(context: CommandContext): Promise<void> {
  const user = userArgument(context, 0);
  await createUser(context, user, context.args[1] ?? "", context.args[2]);
}

/** `sbctl user add <user[@domain]> [password] [--email E] [--password-stdin]` */
export async function addUser(context: CommandContext): Promise<void> {
  const user = userArgument(context, 0);
  const password = await context.newPassword(context.args[1]);
  await createUser(context, user, password, context.values.email);
}

/** `sbctl user rm <user[@domain]>` */
export async function removeUser(context: CommandContext): Promise<void> {
  const user = userArgument(context, 0);
  await explaining(context.auth.deleteSubscriber(user), {
    notFound: `user ${formatAddress(user)} does not exist`,
  });
  context.print(addressJson(user), () => `removed user ${formatAddress(user)}\n`);
}

/** `sbctl user passwd <user[@domain]> [password] [--password-stdin]` */
export async function changePassword(context: CommandContext): Promise<void> {
  const user = userArgument(context, 0);
  const password = await context.newPassword(context.args[1]);
  await explaining(context.auth.setPassword(user, password), {
    notFound: `user ${formatAddress(user)} does not exist`,
  });
  context.print(addressJson(user), () => `changed the password of ${formatAddress(user)}\n`);
}

/** `sbctl user list [--domain D]`: only an explicit --domain filters. */
export async function listUsers(context: CommandContext): Promise<void> {
  const domain = context.values.domain === undefined ? undefined : context.settings.defaultDomain;
  const subscribers = await context.auth.listSubscribers(domain);
  context.print({ subscribers }, () =>
    subscribers.length === 0
      ? `no subscribers${domain === undefined ? "" : ` in ${domain}`}\n`
      : formatTable(
          ["USERNAME", "DOMAIN", "EMAIL", "CREATED"],
          subscribers.map((s) => [s.username, s.domain, orDash(s.email), orDash(s.createdAt)]),
        ),
  );
}

function subscriberFields(subscriber: Subscriber): string {
  return formatFields([
    ["username", subscriber.username],
    ["domain", subscriber.domain],
    ["email", orDash(subscriber.email)],
    ["created", orDash(subscriber.createdAt)],
  ]);
}

/** `sbctl user show <user[@domain]>` */
export async function showUser(context: CommandContext): Promise<void> {
  const user = userArgument(context, 0);
  const subscriber = await explaining(context.auth.getSubscriber(user), {
    notFound: `user ${formatAddress(user)} does not exist`,
  });
  context.print(subscriber, () => subscriberFields(subscriber));
}
