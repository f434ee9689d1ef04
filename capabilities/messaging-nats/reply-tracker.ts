import { isAnswerableReply } from './subject-policy.ts';

/**
 * The reply-to subjects a component may answer right now: one entry per message being delivered to it (its
 * `handle-message` has not returned yet) whose reply-to is answerable. An entry goes when the guest uses it once or
 * when its delivery settles, whichever comes first. Entries are per component, not per invocation: a component
 * handling two messages at once may answer either.
 */
export class ReplyTracker {
  readonly #open = new Map<string, { reply: string }[]>();

  /**
   * Records a delivery to `componentId` with `reply`; returns the function to call when the delivery settles.
   * A missing, malformed or reserved (other than `_INBOX`) reply-to records nothing.
   */
  deliver(componentId: string, reply: string | null | undefined): () => void {
    if (!isAnswerableReply(reply)) return () => undefined;
    const entry = { reply };
    const list = this.#open.get(componentId) ?? [];
    list.push(entry);
    this.#open.set(componentId, list);
    return () => this.#remove(componentId, (e) => e === entry);
  }

  /** True when `subject` is the reply-to of a message being delivered to `componentId`. */
  has(componentId: string, subject: string): boolean {
    return this.#open.get(componentId)?.some((e) => e.reply === subject) ?? false;
  }

  /** Uses up one delivery's reply-to `subject` (a reply is answered once). */
  consume(componentId: string, subject: string): void {
    this.#remove(componentId, (e) => e.reply === subject);
  }

  /** How many replies are open (for tests). */
  size(componentId: string): number {
    return this.#open.get(componentId)?.length ?? 0;
  }

  #remove(componentId: string, match: (e: { reply: string }) => boolean): void {
    const list = this.#open.get(componentId);
    const i = list?.findIndex(match) ?? -1;
    if (!list || i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) this.#open.delete(componentId);
  }
}
