package dev.lookout.platform;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Project keys and the token groups that grant them, the same in every service. A key is 1–100 characters of
 * letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or digit. Access comes from groups
 * {@code /projects/<key>}; a nested group ({@code /projects/a/b}) or a group whose key is not a valid key grants
 * nothing, so no service reads {@code a/b} as a project another service would refuse.
 */
public final class ProjectKeys {

    public static final String GROUP_PREFIX = "/projects/";
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private ProjectKeys() {
    }

    public static boolean isValid(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** The project keys that a token's groups grant, in their order; anything else in the groups is ignored. */
    public static Set<String> fromGroups(Collection<String> groups) {
        Set<String> keys = new LinkedHashSet<>();
        if (groups == null) {
            return keys;
        }
        for (String group : groups) {
            if (group != null && group.startsWith(GROUP_PREFIX)) {
                String key = group.substring(GROUP_PREFIX.length());
                if (isValid(key)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }
}
