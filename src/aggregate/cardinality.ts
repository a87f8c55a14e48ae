// Caps the channels that get their own series per brand: the first `maxPerBrand` distinct channels
// keep theirs, later ones are counted under `other`, so a feed that invents channels (a typo, a
// URL used as a channel, an attack) costs one series instead of exhausting memory.

/** The channel folded mentions are counted under; the brand's `all` counts them as usual. */
export const OTHER_CHANNEL = "other";

/** The first folded channels of a brand are each logged; after that one line per doubling. */
const REPORTED_ONE_BY_ONE = 10;
/** Folded channel names remembered per brand, to tell a new one: bounded like everything else. */
const REMEMBERED_FOLDS = 4096;

export interface ChannelFold {
  brand: string;
  /** The channel the mention was sent with. */
  channel: string;
  /** Distinct channels of the brand folded so far (stops counting at 4096). */
  foldedChannels: number;
  /** A log line to write now, or undefined: set for a few new channels, never per mention. */
  report: string | undefined;
}

export interface ChannelLimitOptions {
  /** Channels of a brand with their own series; `other` and `all` come on top. */
  maxPerBrand: number;
  /** Told about every mention counted under `other` (for the metric), with a report now and then. */
  onFold?: (fold: ChannelFold) => void;
}

interface BrandChannels {
  kept: Set<string>;
  folded: Set<string>;
}

export class ChannelLimiter {
  private readonly brands = new Map<string, BrandChannels>();

  constructor(private readonly options: ChannelLimitOptions) {}

  /** The channel a mention would be counted under, without counting it. */
  peek(brand: string, channel: string): string {
    const channels = this.brands.get(brand);
    if (channel === OTHER_CHANNEL || !channels) return channel;
    return channels.kept.has(channel) || channels.kept.size < this.options.maxPerBrand
      ? channel
      : OTHER_CHANNEL;
  }

  /** The channel a mention is counted under: its own while the brand has room, else `other`. */
  channelOf(brand: string, channel: string): string {
    if (channel === OTHER_CHANNEL) return channel;
    const channels = this.of(brand);
    if (channels.kept.has(channel)) return channel;
    if (channels.kept.size < this.options.maxPerBrand) {
      channels.kept.add(channel);
      return channel;
    }
    this.fold(brand, channel, channels);
    return OTHER_CHANNEL;
  }

  /** A channel restored from the store keeps its series while there is room; false when not. */
  restore(brand: string, channel: string): boolean {
    if (channel === OTHER_CHANNEL) return true;
    const channels = this.of(brand);
    if (!channels.kept.has(channel) && channels.kept.size >= this.options.maxPerBrand) return false;
    channels.kept.add(channel);
    return true;
  }

  private fold(brand: string, channel: string, channels: BrandChannels): void {
    let report: string | undefined;
    if (!channels.folded.has(channel) && channels.folded.size < REMEMBERED_FOLDS) {
      channels.folded.add(channel);
      report = reportFor(brand, channel, channels.folded.size, this.options.maxPerBrand);
    }
    this.options.onFold?.({ brand, channel, foldedChannels: channels.folded.size, report });
  }

  private of(brand: string): BrandChannels {
    let channels = this.brands.get(brand);
    if (!channels) {
      channels = { kept: new Set(), folded: new Set() };
      this.brands.set(brand, channels);
    }
    return channels;
  }
}

function reportFor(brand: string, channel: string, folded: number, max: number): string | undefined {
  const why = `brand ${JSON.stringify(brand)} already has ${max} channels (ingest.max_channels_per_brand)`;
  if (folded <= REPORTED_ONE_BY_ONE) {
    return `channel ${JSON.stringify(channel)} is counted under "${OTHER_CHANNEL}": ${why}`;
  }
  if ((folded & (folded - 1)) === 0 || folded === REMEMBERED_FOLDS) {
    const more = folded === REMEMBERED_FOLDS ? "; further ones are no longer told apart" : "";
    return `${folded} channels are counted under "${OTHER_CHANNEL}" (latest ${JSON.stringify(channel)}): ${why}${more}`;
  }
  return undefined;
}
