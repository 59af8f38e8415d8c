/**
 * The explorer's filters: a plain GET form (so filters live in the URL and work without
 * JavaScript); once hydrated, choosing a category, region or measure applies it at once.
 */

export interface SelectFilter {
  options: string[];
  value?: string;
}

export interface FilterFormProps {
  action: string;
  /** Date range on the time column; bounds are the data's first and last day. */
  time?: { from?: string; to?: string; min: string; max: string };
  category?: SelectFilter;
  region?: SelectFilter;
  measure?: { options: { name: string; label: string }[]; value?: string };
  /** Query parameters kept when the form is submitted (sort order, page size). */
  keep: Record<string, string>;
  /** The page without any filter. */
  resetHref: string;
  /** Whether any filter is set (shows "Clear"). */
  filtered: boolean;
}

function submitForm(event: Event) {
  (event.currentTarget as HTMLSelectElement).form?.requestSubmit();
}

function Select(
  props: { name: string; label: string; allLabel: string; filter: SelectFilter },
) {
  return (
    <label class="field">
      <span class="field-label">{props.label}</span>
      <select name={props.name} onChange={submitForm}>
        <option value="">{props.allLabel}</option>
        {props.filter.options.map((option) => (
          <option key={option} value={option} selected={option === props.filter.value}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FilterForm(props: FilterFormProps) {
  return (
    <form method="get" action={props.action} class="filters" role="search">
      {props.time && (
        <>
          <label class="field">
            <span class="field-label">From</span>
            <input
              type="date"
              name="from"
              value={props.time.from ?? ""}
              min={props.time.min}
              max={props.time.max}
            />
          </label>
          <label class="field">
            <span class="field-label">To</span>
            <input
              type="date"
              name="to"
              value={props.time.to ?? ""}
              min={props.time.min}
              max={props.time.max}
            />
          </label>
        </>
      )}
      {props.category && (
        <Select
          name="category"
          label="Category"
          allLabel="All categories"
          filter={props.category}
        />
      )}
      {props.region && (
        <Select name="region" label="Region" allLabel="All regions" filter={props.region} />
      )}
      {props.measure && props.measure.options.length > 1 && (
        <label class="field">
          <span class="field-label">Chart</span>
          <select name="measure" onChange={submitForm}>
            {props.measure.options.map((option) => (
              <option
                key={option.name}
                value={option.name}
                selected={option.name === props.measure!.value}
              >
                {option.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {Object.entries(props.keep).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div class="filter-actions">
        <button type="submit" class="button primary">Apply</button>
        {props.filtered && <a class="button ghost" href={props.resetHref}>Clear</a>}
      </div>
    </form>
  );
}
