package org.multiprocessing4j.internal.manager;

import java.io.Serializable;

/**
 * The reply of a call whose result stayed in the server: the typeid and id of the object made
 * from it, which the caller's proxy turns into a proxy of the method's return type.
 */
record ReturnedProxy(String typeid, int id) implements Serializable {
}
