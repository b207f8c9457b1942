// What a guest's reported free memory means, by guest OS, and what the controller cannot see. Pure.

/** What `Guest/RAM/Usage/Free` means for a guest of this OS type, and what stays invisible. */
export function guestFreeMeaning(osType: string | null): string {
  const s = (osType ?? '').toLowerCase();
  const cannot = 'VirtualBox reports no swap activity, page faults or memory pressure (Guest/Pagefile/Usage/Total is the size of the swap or page file, not its use), so a guest that swaps cannot be seen';
  if (s.includes('windows')) return `free is the available physical memory (free, zeroed and standby pages: reclaimable); ${cannot}`;
  if (s === '') return `free is what the Guest Additions report: on Linux MemFree + Buffers + Cached, on Windows the available physical memory; ${cannot}`;
  if (/linux|ubuntu|debian|fedora|red ?hat|oracle|suse|arch|gentoo|mandriva|turbolinux|xandros/u.test(s)) {
    return `free is MemFree + Buffers + Cached: page cache counts as free, tmpfs and shared memory in it included, though they cannot be reclaimed (give such a guest a larger reserve); ${cannot}`;
  }
  return `free is what the guest's Guest Additions report as free for this OS; ${cannot}`;
}
