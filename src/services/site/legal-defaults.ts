import type { Config } from '../../config.js';

export type LegalDocument = 'privacy' | 'terms' | 'support';

/** Markdown special characters in an operator's name or address stay text. */
const text = (value: string) => value.replace(/([\\`*_{}[\]()#+\-.!<>|])/g, '\\$1');

/**
 * The default /privacy, /terms and /support: complete texts for a deployment whose operator has not
 * supplied their own (PRIVACY_POLICY_FILE, TERMS_FILE, SUPPORT_FILE). They describe what this code
 * does; an operator with other practices must supply their own.
 */
export function defaultLegalText(document: LegalDocument, config: Pick<Config, 'site' | 'organizationRetentionDays'>): string {
  const operator = text(config.site.operatorName);
  const contact = config.site.supportEmail ? `[${text(config.site.supportEmail)}](mailto:${config.site.supportEmail})` : 'the support page of this service (/support)';
  const days = config.organizationRetentionDays;
  switch (document) {
    case 'privacy':
      return `# Privacy policy

This Rollcall service is operated by ${operator} ("we"). Rollcall takes attendance in virtual group
programs (for example intensive outpatient programs) held on Zoom, Microsoft Teams and Slack, and
tells a clinic's staff who needs a follow-up. This policy says what the service stores, why, for how
long, and how a clinic takes its data out or deletes it.

## Who is responsible

Each clinic that installs Rollcall controls its own data. We process it on the clinic's behalf. In
the United States, attendance of people in treatment is protected health information: a clinic must
have a Business Associate Agreement (BAA) with us, and with the chat platform it uses, before it puts
health data into Rollcall.

## What is stored

- **About the clinic's workspace:** the Slack workspace, Microsoft Teams tenant or Zoom account that
  installed the app, its name, the platform user id of the person who installed it, and the
  platform's access tokens, encrypted.
- **About staff:** name, email address and platform user id of each person who signs in to the
  dashboard, their role, and a record of every action they take (the audit log).
- **About participants:** the names, email addresses and platform identities the clinic enrolls;
  the programs, schedules and sessions; when each person joined and left each session as the
  platform reported it; absences and their reasons; alerts and follow-ups; messages the participant
  exchanged with the Rollcall bot.

Rollcall does not record audio, video or the content of meetings, and does not read channel
conversations other than messages addressed to the bot.

## What it is used for

Only to provide the service to the clinic: taking attendance, alerting the clinic's staff, reminding
participants, and producing the clinic's reports. We do not sell data, do not use it for advertising,
and do not share it with anyone other than the sub-processors needed to run the service (the chat
platform the clinic uses and our hosting provider).

## How it is protected

Each clinic sees only its own records. Platform tokens and message bodies are encrypted at rest;
API tokens and sign-in sessions are stored only as hashes. Every staff action is recorded with the
person who took it. Connections are encrypted in transit.

## How long it is kept

- While the clinic has Rollcall installed on at least one platform, its records are kept until the
  clinic deletes them.
- Uninstalling Rollcall from a platform removes that platform's tokens at once.
- When a clinic has had no platform installed for ${days} days, all of its data is deleted. Until
  then the clinic's dashboard shows a warning with the date.
- Undeliverable platform messages are kept for a short period for troubleshooting, then deleted.

## Export and deletion

A clinic's owner can download the clinic's whole record (a zip of CSV and JSON files) from the
dashboard's Settings, and, once Rollcall is uninstalled from the clinic's platforms, delete the clinic
there, which removes every one of its records at once. Backups of the service expire on their own
schedule.

## Participants' rights

Participants should contact their clinic, which controls their data and can correct, export or
delete it. Requests that reach us are passed to the clinic.

## Contact

Questions about this policy: ${contact}.
`;
    case 'terms':
      return `# Terms of use

These terms govern the use of this Rollcall service, operated by ${operator} ("we"), by a clinic
and its staff ("you").

## The service

Rollcall takes attendance in virtual group sessions on Zoom, Microsoft Teams and Slack, alerts your
staff about people who need a follow-up, and keeps your attendance records. It is an administrative
tool. It is not a medical device, does not give clinical advice and is not an emergency service:
crisis resources it sends are a convenience, never a replacement for your clinic's own safety
procedures.

## Your responsibilities

- You have the authority to install Rollcall for your workspace, tenant or account, and to enroll
  the participants whose data you put into it.
- Before you store protected health information you have a Business Associate Agreement with us and
  with the chat platform you use, and you use a plan of that platform that the platform offers under
  a BAA.
- You approve who on your staff may sign in, and you keep their roles current.
- You tell participants, as your own privacy practices require, that attendance is recorded.

## Acceptable use

Do not use Rollcall to monitor people who have not been told about it, to store data unrelated to
attendance and follow-up, or to try to reach another clinic's data.

## Your data

Your data remains yours. You may export it or delete it at any time from Settings. If Rollcall has
been uninstalled from all of your platforms for ${config.organizationRetentionDays} days, your data is
deleted, as described in the privacy policy.

## Availability and changes

We aim to keep the service available but do not guarantee uninterrupted operation. We may change the
service or these terms; material changes are announced in the dashboard before they take effect.

## Ending

You may stop at any time by uninstalling Rollcall and deleting your clinic. We may suspend a clinic
that breaches these terms, after notice where the law allows.

## Liability

The service is provided as is, to the extent the law allows. Our liability is limited to the fees
you paid for the service in the twelve months before the claim, except where the law does not allow
such a limit or your agreement with us says otherwise.

## Contact

${contact}.
`;
    case 'support':
      return `# Support

Rollcall is operated by ${operator}. For help, write to ${contact}. Do not send participants'
names or health information in a support request: describe the problem with the program, the date
and the time instead.

## Getting started

1. **Install** Rollcall from the home page: Add to Slack, Add to Teams or Add to Zoom. Installing
   creates your clinic; the person who installs becomes its owner.
2. **Sign in** with the same platform. Colleagues who sign in wait until an owner or admin approves
   them in Settings, where their role is chosen: admin, facilitator (their programs only) or viewer.
3. **Create a program**, its schedule and its staff channel, and enroll participants (the admin API
   or the dashboard).

## Connecting another platform

An owner or admin connects Slack, Teams or Zoom to the same clinic from Settings (Connect). A
platform installed without that button creates a separate clinic.

## Common questions

- **Nobody was marked present.** Check that the session's meeting is the one in the program's
  schedule and that Rollcall is installed on the account or workspace that hosts it.
- **Alerts do not arrive.** Check the program's alert channel in Settings and that the app is still
  installed there.
- **A colleague cannot sign in.** An owner or admin approves them in Settings, Staff.

## Leaving

Uninstalling Rollcall removes its platform tokens at once. An owner can export the clinic's whole
record and delete the clinic in Settings, Leaving. A clinic with no platform installed for
${config.organizationRetentionDays} days is deleted. See the [privacy policy](/privacy) and the
[terms of use](/terms).

## Security

To report a security problem, write to ${contact} with "security" in the subject.
`;
  }
}
