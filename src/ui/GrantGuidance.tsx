import * as React from "react";
import { Link, Text } from "@fluentui/react";
import { isEntraGroupTeam } from "../core/accessChecks";
import type { Check, Grant } from "../core/report";
import { entraGroupMembersUrl } from "./links";
import type { Strings } from "./strings";

interface Line {
  key: string;
  text: string;
  link?: { href: string; label: string };
}

/**
 * What to do about the grants no button can remove: a role through a Microsoft Entra group team (its
 * members are managed in Entra), through the business unit's default team (nobody leaves it), whose
 * source Dataverse has not said yet, and a privilege inside a role (the role must be edited).
 */
function linesOf(check: Check, strings: Strings): Line[] {
  const lines = new Map<string, Line>();
  const add = (line: Line) => lines.set(line.key, line);
  for (const grant of check.grants ?? []) {
    if (check.id !== "forbidden-roles") {
      const privileges = (grant.privileges ?? []).join(", ");
      add({ key: `privilege-${grant.roleId}`, text: strings.get("guidance_privilege", { role: grant.roleName, privileges }) });
      continue;
    }
    const line = roleLine(grant, strings);
    if (line) add(line);
  }
  return [...lines.values()];
}

function roleLine({ roleName: role, source }: Grant, strings: Strings): Line | null {
  if (source.kind === "unattributed") return { key: `unattributed-${role}`, text: strings.get("guidance_unattributed", { role }) };
  if (source.kind !== "team") return null;
  const { team } = source;
  if (isEntraGroupTeam(team))
    return {
      key: `entra-${team.teamId}-${role}`,
      text: strings.get("guidance_entraGroup", { role, team: team.name }),
      ...(team.entraGroupId
        ? { link: { href: entraGroupMembersUrl(team.entraGroupId), label: strings.get("action_openEntraGroup") } }
        : {}),
    };
  if (team.isDefault)
    return { key: `default-${team.teamId}-${role}`, text: strings.get("guidance_defaultTeam", { role, team: team.name }) };
  return null;
}

export const GrantGuidance: React.FC<{ check: Check; strings: Strings }> = ({ check, strings }) => {
  const lines = linesOf(check, strings);
  if (lines.length === 0) return null;
  return (
    <ul style={{ margin: "4px 0 0", paddingLeft: 20 }} data-guidance={check.id}>
      {lines.map((line) => (
        <li key={line.key}>
          <Text variant="small">
            {line.text}
            {line.link && (
              <>
                {" "}
                <Link href={line.link.href} target="_blank" rel="noopener noreferrer" underline>
                  {line.link.label}
                </Link>
              </>
            )}
          </Text>
        </li>
      ))}
    </ul>
  );
};
