import { isoTime, type Clock } from '../clock'
import type { ConsoleAccount, MailAttachment, MailMessage, SimState } from '../store/model'

/** Puts a message in an account's mailbox. Call inside a store mutation. */
export function sendMail(
  state: SimState,
  clock: Clock,
  to: ConsoleAccount,
  message: { subject: string; body: string; attachments?: MailAttachment[] },
): MailMessage {
  state.counters.mail += 1
  const mail: MailMessage = {
    id: `M${String(state.counters.mail).padStart(6, '0')}`,
    to: to.username,
    toEmail: to.email,
    subject: message.subject,
    body: message.body,
    attachments: message.attachments ?? [],
    createdAt: isoTime(clock),
  }
  state.mailbox.push(mail)
  return mail
}
