/**
 * The explorer's filters: a plain GET form (so filters live in the URL and work without
 * JavaScript): a search over the text columns, a date range with one-click presets, several
 * categories and regions at once (checkboxes, each ticked one a repeated parameter). Once hydrated,
 * choosing the charted measure applies it at once.
 */

export interface MultiFilter {
  options: string[];
  /** The values ticked; none means all. */
  values: string[];
}

/** A preset range as a link (works without JavaScript). */
export interface PresetLink {
  label: string;
  href: string;
  current: boolean;
}

export interface FilterFormProps {
  action: string;
  /** Search over the table's text columns, when it has any. */
  search?: { value?: string; columns: string[] };
  /** Date range on the time column; bounds are the data's first and last day. */
  time?: { from?: string; to?: string; min: string; max: string; presets: PresetLink[] };
  category?: MultiFilter;
  region?: MultiFilter;
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

/** "All categories", the one ticked, or how many. */
function choiceSummary(filter: MultiFilter, allLabel: string): string {
  if (filter.values.length === 0) return allLabel;
  if (filter.values.length === 1) return filter.values[0];
  return `${filter.values.length} selected`;
}

function MultiSelect(
  props: { name: string; label: string; allLabel: string; filter: MultiFilter },
) {
  const chosen = new Set(props.filter.values);
  return (
    <div class="field">
      <span class="field-label" id={`${props.name}-label`}>{props.label}</span>
      <details class="multi" data-name={props.name}>
        <summary aria-describedby={`${props.name}-label`}>
          {choiceSummary(props.filter, props.allLabel)}
        </summary>
        <fieldset class="multi-options">
          <legend class="visually-hidden">{props.label}</legend>
          {props.filter.options.map((option) => (
            <label key={option} class="multi-option">
              <input
                type="checkbox"
                name={props.name}
                value={option}
                checked={chosen.has(option)}
              />
              {option}
            </label>
          ))}
        </fieldset>
      </details>
    </div>
  );
}

/** One end of the date range, bounded by the data's first and last day. */
function DateField(
  { label, name, value, range }: {
    label: string;
    name: string;
    value?: string;
    range: { min: string; max: string };
  },
) {
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      <input type="date" name={name} value={value ?? ""} min={range.min} max={range.max} />
    </label>
  );
}

export function FilterForm(props: FilterFormProps) {
  return (
    <form method="get" action={props.action} class="filters" role="search">
      {props.search && (
        <label class="field field-search">
          <span class="field-label">Search</span>
          <input
            type="search"
            name="q"
            value={props.search.value ?? ""}
            placeholder={`Words in ${props.search.columns.join(", ")}`}
            autocomplete="off"
          />
        </label>
      )}
      {props.time && (
        <>
          <DateField label="From" name="from" value={props.time.from} range={props.time} />
          <DateField label="To" name="to" value={props.time.to} range={props.time} />
        </>
      )}
      {props.category && (
        <MultiSelect
          name="category"
          label="Category"
          allLabel="All categories"
          filter={props.category}
        />
      )}
      {props.region && (
        <MultiSelect name="region" label="Region" allLabel="All regions" filter={props.region} />
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
      {props.time && (
        <nav class="presets" aria-label="Date presets">
          <span class="presets-label">
            Dates (to {props.time.max}, the last day in the data):
          </span>
          {props.time.presets.map((preset) => (
            <a
              key={preset.label}
              class="preset"
              href={preset.href}
              aria-current={preset.current ? "true" : undefined}
            >
              {preset.label}
            </a>
          ))}
        </nav>
      )}
    </form>
  );
}
