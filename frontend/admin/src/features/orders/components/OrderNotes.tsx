import { Button, Card, Group, Stack, Text, Textarea, Title } from "@mantine/core";
import { ColourBadge, DateTime, isProblem, ProblemAlert, QueryState, useMe } from "@oms/shared";
import { type SyntheticEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../../app/access";
import { type OrderNote, useAddNote, useDeleteNote, useNotes } from "../api";
import { TONES } from "../../../lib/tones";

function Note({ note, mayDelete, orderId }: { note: OrderNote; mayDelete: boolean; orderId: string }) {
  const { t } = useTranslation();
  const remove = useDeleteNote(orderId);
  return (
    <Card withBorder padding="sm" component="article" data-note={note.id}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            {note.author_email} · <DateTime value={note.created_at} />
          </Text>
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {note.text}
          </Text>
        </Stack>
        {mayDelete && (
          <Button variant="subtle" color="red" size="xs" onClick={() => remove.mutate(note.id)} loading={remove.isPending} aria-label={t("orders.notes.deleteOne", { author: note.author_email })}>
            {t("orders.notes.delete")}
          </Button>
        )}
      </Group>
      <ProblemAlert error={remove.error} />
    </Card>
  );
}

/** Staff's internal notes on the order: listed newest first, added, and deleted by their
 * author (or an admin). Customers never see them. */
export function OrderNotes({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const allowed = useCan("orders:notes") === true;
  const deleteAny = useCan("orders:notes-delete-any") === true;
  const { data: me } = useMe();
  const notes = useNotes(orderId, allowed);
  const add = useAddNote(orderId);
  const [text, setText] = useState("");
  if (!allowed) return null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    add.mutate(text.trim(), { onSuccess: () => setText("") });
  };
  const fieldError = isProblem(add.error) ? add.error.fieldErrors.text : undefined;
  return (
    <Card withBorder component="section" aria-labelledby="notes-title">
      <Stack gap="sm">
        <Group gap="xs">
          <Title order={3} size="h4" id="notes-title">
            {t("orders.notes.title")}
          </Title>
          <ColourBadge colour={TONES.neutral}>
            {t("orders.notes.staffOnly")}
          </ColourBadge>
        </Group>
        <Text size="sm" c="dimmed">
          {t("orders.notes.hint")}
        </Text>
        <form onSubmit={submit}>
          <Stack gap="xs">
            <Textarea
              label={t("orders.notes.new")}
              value={text}
              onChange={(event) => setText(event.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={4000}
              error={fieldError}
            />
            {!fieldError && <ProblemAlert error={add.error} />}
            <Group>
              <Button type="submit" disabled={!text.trim()} loading={add.isPending}>
                {t("orders.notes.add")}
              </Button>
            </Group>
          </Stack>
        </form>
        <QueryState query={notes} isEmpty={(data) => data.pages.every((page) => page.items.length === 0)} empty={t("orders.notes.none")}>
          {(data) => (
            <Stack gap="xs">
              {data.pages
                .flatMap((page) => page.items)
                .map((note) => (
                  <Note key={note.id} note={note} orderId={orderId} mayDelete={deleteAny || note.author_id === me?.id} />
                ))}
              {notes.hasNextPage && (
                <Button variant="subtle" onClick={() => void notes.fetchNextPage()} loading={notes.isFetchingNextPage}>
                  {t("orders.notes.more")}
                </Button>
              )}
            </Stack>
          )}
        </QueryState>
      </Stack>
    </Card>
  );
}
